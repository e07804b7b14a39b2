import { describe, expect, it } from 'vitest';
import { actorForward, actorRecord, createActor } from '../../src/chung/actor.ts';
import { createCritic, criticBackward, criticForward } from '../../src/chung/critic.ts';
import { CounterRng } from '../../src/rng/counter-rng.ts';

/** Central finite difference of f with respect to arr[i] (f32 storage, so h is not tiny). */
function fd(arr: Float32Array, i: number, f: () => number, h = 2e-3): number {
  const w0 = arr[i]!;
  arr[i] = w0 + h;
  const hi = f();
  arr[i] = w0 - h;
  const lo = f();
  arr[i] = w0;
  // Divide by the step actually stored in f32.
  return (hi - lo) / (Math.fround(w0 + h) - Math.fround(w0 - h));
}

function randomObs(n: number, seed: number): Float32Array {
  const rng = new CounterRng(seed, 99);
  return Float32Array.from({ length: n }, () => rng.range(-1.5, 1.5));
}

describe('critic gradient (softplus MLP, trace with decay 0 = grad V)', () => {
  it('matches finite differences for every parameter of every replica', () => {
    const R = 2,
      obsDim = 4;
    const critic = createCritic(R, obsDim, [5, 3], 7);
    const obs = randomObs(R * obsDim, 1);
    const V = (r: number) => () => criticForward(critic, obs)[r]!;
    criticForward(critic, obs);
    criticBackward(critic, 0);
    const grads = critic.net.layers.map((L) => ({ eW: L.eW.slice(), eB: L.eB.slice() }));
    let checked = 0;
    critic.net.layers.forEach((L, l) => {
      const perR = L.nOut * L.fanIn;
      for (let r = 0; r < R; r++) {
        for (let s = 0; s < perR; s++) {
          const i = r * perR + s;
          expect(fd(L.w, i, V(r))).toBeCloseTo(grads[l]!.eW[i]!, 3);
          checked++;
        }
        for (let j = 0; j < L.nOut; j++) {
          const i = r * L.nOut + j;
          expect(fd(L.b, i, V(r))).toBeCloseTo(grads[l]!.eB[i]!, 3);
        }
      }
    });
    expect(checked).toBe(2 * (4 * 5 + 5 * 3 + 3));
    // Cross-replica entries must be independent: perturbing replica 0 leaves V of replica 1 alone.
    const v1 = criticForward(critic, obs)[1];
    critic.net.layers[0]!.w[0]! += 0.5;
    expect(criticForward(critic, obs)[1]).toBe(v1);
  });

  it('accumulates lambda-decayed traces', () => {
    const critic = createCritic(1, 2, [3, 2], 3);
    const o1 = new Float32Array([0.3, -0.2]),
      o2 = new Float32Array([-1, 0.7]);
    criticForward(critic, o1);
    criticBackward(critic, 0);
    const g1 = critic.net.layers[0]!.eW.slice();
    criticForward(critic, o2);
    criticBackward(critic, 0);
    const g2 = critic.net.layers[0]!.eW.slice();
    criticForward(critic, o1);
    criticBackward(critic, 0);
    criticForward(critic, o2);
    criticBackward(critic, 0.784);
    const e = critic.net.layers[0]!.eW;
    for (let i = 0; i < e.length; i++) expect(e[i]).toBeCloseTo(0.784 * g1[i]! + g2[i]!, 6);
  });
});

describe('actor backprop (ReLU hidden) gradient', () => {
  it('trace with decay 0 equals d log pi(a|s) / d w by finite differences', () => {
    const R = 2,
      obsDim = 4,
      K = 3;
    const a = createActor({ replicas: R, obsDim, numActions: K, hidden: [6, 4], temp: [1, 1, 1.5], rule: 'backprop', seed: 5 });
    const obs = randomObs(R * obsDim, 2);
    actorForward(a, obs, 11, 0);
    const act = a.actions.slice();
    actorRecord(a, 0);
    const out = a.net.layers[2]!;
    const logPi = (r: number) => () => {
      actorForward(a, obs, 11, 0);
      return Math.log(out.mean[r * K + act[r]!]!);
    };
    let maxErr = 0,
      maxG = 0;
    for (const L of a.net.layers) {
      const perR = L.nOut * L.fanIn;
      const eW = L.eW.slice(),
        eB = L.eB.slice();
      for (let r = 0; r < R; r++) {
        for (let s = 0; s < perR; s++) {
          const i = r * perR + s;
          maxErr = Math.max(maxErr, Math.abs(fd(L.w, i, logPi(r)) - eW[i]!));
          maxG = Math.max(maxG, Math.abs(eW[i]!));
        }
        for (let j = 0; j < L.nOut; j++) {
          const i = r * L.nOut + j;
          maxErr = Math.max(maxErr, Math.abs(fd(L.b, i, logPi(r)) - eB[i]!));
        }
      }
    }
    expect(maxG).toBeGreaterThan(0.05);
    expect(maxErr).toBeLessThan(2e-3);
  });

  it('REINFORCE characteristic of a Bernoulli unit is d log P(h | x) / d w', () => {
    const a = createActor({ replicas: 1, obsDim: 3, numActions: 2, hidden: [4], temp: [2, 1], rule: 'reinforce', seed: 9 });
    const obs = new Float32Array([0.5, -1, 0.25]);
    actorForward(a, obs, 1, 0);
    actorRecord(a, 0);
    const L = a.net.layers[0]!;
    const h = L.values.slice();
    const eW = L.eW.slice();
    const logP = () => {
      actorForward(a, obs, 1, 0);
      let s = 0;
      for (let j = 0; j < 4; j++) s += Math.log(h[j] ? L.mean[j]! : 1 - L.mean[j]!);
      return s;
    };
    for (let i = 0; i < eW.length; i++) expect(fd(L.w, i, logP)).toBeCloseTo(eW[i]!, 3);
  });
});
