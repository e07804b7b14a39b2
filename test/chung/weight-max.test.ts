import { describe, expect, it } from 'vitest';
import { actorForward, actorLearn, actorRecord, createActor, type Actor } from '../../src/chung/actor.ts';
import { ADAM_DEFAULTS } from '../../src/chung/adam.ts';
import type { ChungRule } from '../../src/chung/config.ts';
import { backpropCharac, weightMaxReward } from '../../src/chung/learning.ts';
import { createNet } from '../../src/chung/network.ts';
import { CounterRng, rngUniform, Stream } from '../../src/rng/counter-rng.ts';

/** 2 inputs -> 2 Bernoulli hidden units -> softmax over 2 actions (one learned logit). */
function tinyActor(rule: ChungRule): Actor {
  const a = createActor({ replicas: 1, obsDim: 2, numActions: 2, hidden: [2], temp: [1, 1], rule, seed: 1 });
  const [h, o] = a.net.layers as [NonNullable<(typeof a.net.layers)[0]>, NonNullable<(typeof a.net.layers)[0]>];
  o.w.set([0.5, -0.25]);
  o.b.set([0]);
  o.eW.set([0.2, -0.4]);
  o.eB.set([0.3]);
  h.eW.set([1, 2, 3, 4]);
  h.eB.set([0.5, -0.5]);
  return a;
}

const learn = (a: Actor, delta: number, extra: { weightDecay?: number; weightMaxP?: number } = {}) =>
  actorLearn(a, new Float32Array([delta]), {
    lr: [0.01, 0.01],
    t: 1,
    adam: ADAM_DEFAULTS,
    weightMaxP: extra.weightMaxP ?? 2,
    weightDecay: extra.weightDecay ?? 0,
    weightDecayP: 2,
  });

describe('Weight Max reward on a hand-computed network', () => {
  it('p = 2: hidden reward = 2 * w_new * u over outgoing synapses', () => {
    const a = tinyActor('weightmax');
    learn(a, 2);
    const [h, o] = a.net.layers;
    // u_out = e * delta = [0.4, -0.8]; Adam at t = 1 moves each weight by lr * sign(u).
    expect(Array.from(o!.uW)).toEqual([Math.fround(0.4), Math.fround(-0.8)]);
    expect(o!.w[0]).toBeCloseTo(0.51, 6);
    expect(o!.w[1]).toBeCloseTo(-0.26, 6);
    expect(h!.reward[0]).toBeCloseTo(2 * 0.51 * 0.4, 5);
    expect(h!.reward[1]).toBeCloseTo(2 * -0.26 * -0.8, 5);
    // The hidden layer then learns from its own reward: u = e * reward.
    expect(h!.uW[1]).toBeCloseTo(2 * 0.408, 5);
    expect(h!.uW[2]).toBeCloseTo(3 * 0.416, 5);
    expect(h!.uB[1]).toBeCloseTo(-0.5 * 0.416, 5);
  });

  it('weight decay enters the update that Weight Max reads', () => {
    const a = tinyActor('weightmax');
    learn(a, 2, { weightDecay: 0.01 });
    const h = a.net.layers[0]!;
    // u_out = e * delta - 0.01 * 2 * w_old = [0.39, -0.795]
    expect(h.reward[0]).toBeCloseTo(2 * 0.51 * 0.39, 5);
    expect(h.reward[1]).toBeCloseTo(2 * -0.26 * -0.795, 5);
  });

  it('p = 3 uses p |w|^(p-1) sign(w)', () => {
    const a = tinyActor('weightmax');
    learn(a, 2, { weightMaxP: 3 });
    const h = a.net.layers[0]!;
    expect(h.reward[0]).toBeCloseTo(3 * 0.51 ** 2 * 0.4, 5);
    expect(h.reward[1]).toBeCloseTo(3 * 0.26 ** 2 * -1 * -0.8, 5);
  });

  it('REINFORCE broadcasts the output signal instead', () => {
    const a = tinyActor('reinforce');
    learn(a, 2);
    expect(Array.from(a.net.layers[0]!.reward)).toEqual([2, 2]);
  });
});

describe('sparse fan-in: outgoing CSR view', () => {
  it('gathers exactly what a brute-force scatter over index lists gives', () => {
    const R = 2,
      K = 3;
    const net = createNet(
      R,
      5,
      [
        { kind: 'bernoulli', size: 8 },
        { kind: 'bernoulli', size: 6, fanIn: K },
      ],
      4,
    );
    const [below, above] = net.layers as [NonNullable<(typeof net.layers)[0]>, NonNullable<(typeof net.layers)[0]>];
    expect(above.fanIn).toBe(K);
    expect(above.preIdx).not.toBeNull();
    const rng = new CounterRng(2, Stream.test);
    for (let s = 0; s < above.uW.length; s++) above.uW[s] = rng.range(-1, 1);
    for (let s = 0; s < above.charac.length; s++) above.charac[s] = rng.range(-1, 1);
    for (let s = 0; s < below.pot.length; s++) below.pot[s] = rng.range(-2, 2);
    weightMaxReward(above, below, R, 2);
    backpropCharac(below, above, R);
    for (let r = 0; r < R; r++) {
      const wm = new Float64Array(8),
        bp = new Float64Array(8);
      for (let k = 0; k < 6; k++) {
        const seen = new Set<number>();
        for (let q = 0; q < K; q++) {
          const pre = above.preIdx![k * K + q]!;
          seen.add(pre);
          const s = (r * 6 + k) * K + q;
          wm[pre] += 2 * above.w[s]! * above.uW[s]!;
          bp[pre] += above.charac[r * 6 + k]! * above.w[s]!;
        }
        expect(seen.size).toBe(K); // distinct presynaptic units
      }
      for (let i = 0; i < 8; i++) {
        expect(below.reward[r * 8 + i]).toBeCloseTo(wm[i]!, 5);
        const p = below.pot[r * 8 + i]!,
          sg = 1 / (1 + Math.exp(-p));
        expect(below.charac[r * 8 + i]).toBeCloseTo(bp[i]! * sg * (1 - sg), 5);
      }
    }
  });
});

describe('spikes and exploration come from the counter RNG', () => {
  it('hidden spike of (replica, unit) = [rngUniform(seed, spike, agent, step) < mean]', () => {
    const a = createActor({ replicas: 3, obsDim: 4, numActions: 3, hidden: [5, 4], temp: [1, 1, 1], rule: 'weightmax', seed: 2 });
    const obs = new Float32Array(12).map((_, i) => Math.sin(i));
    actorForward(a, obs, 77, 123);
    const { net } = a;
    expect(net.agentsPerReplica).toBe(5 + 4 + 3);
    for (let r = 0; r < 3; r++) {
      net.layers.slice(0, 2).forEach((L) => {
        for (let j = 0; j < L.nOut; j++) {
          const u = rngUniform(77, Stream.spike, r * net.agentsPerReplica + L.agentOffset + j, 123);
          expect(L.values[r * L.nOut + j]).toBe(u < L.mean[r * L.nOut + j]! ? 1 : 0);
        }
      });
      const out = net.layers[2]!;
      const u = rngUniform(77, Stream.spike, r * net.agentsPerReplica + out.agentOffset, 123);
      const p = Array.from(out.mean.subarray(r * 3, r * 3 + 3));
      const expected = u < p[0]! ? 0 : u < Math.fround(p[0]! + p[1]!) ? 1 : 2;
      expect(a.actions[r]).toBe(expected);
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    }
  });

  it('Thomas: non-exploring units act greedily and get a zero eligibility', () => {
    const a = createActor({ replicas: 4, obsDim: 3, numActions: 2, hidden: [40], temp: [1, 1], rule: 'thomas', thomasExplorers: 10, seed: 2 });
    expect(a.exploreProb).toEqual([0.25]);
    const obs = new Float32Array(12).fill(0.3);
    let explored = 0;
    for (let step = 0; step < 20; step++) {
      actorForward(a, obs, 5, step);
      actorRecord(a, 0);
      const L = a.net.layers[0]!;
      for (let i = 0; i < L.nOut * 4; i++) {
        if (L.explore[i]) {
          explored++;
          continue;
        }
        expect(L.values[i]).toBe(L.mean[i]! > 0.5 ? 1 : 0);
        expect(L.charac[i]).toBe(0);
      }
    }
    expect(explored / (20 * 160)).toBeGreaterThan(0.2);
    expect(explored / (20 * 160)).toBeLessThan(0.3);
  });
});
