import { describe, expect, it } from 'vitest';
import { actorClearTraces, actorForward, actorRecord, createActor } from '../../src/chung/actor.ts';

const opts = { replicas: 2, obsDim: 3, numActions: 3, hidden: [4, 3], temp: [1, 1, 1], rule: 'weightmax', seed: 8 } as const;
const obsAt = (k: number) => new Float32Array(6).map((_, i) => Math.cos(i * 1.7 + k));

/** Per-step gradients (x * c per synapse) of each layer, from an actor without traces. */
function stepGrads(steps: number): Float32Array[][] {
  const a = createActor(opts);
  const out: Float32Array[][] = [];
  for (let k = 0; k < steps; k++) {
    actorForward(a, obsAt(k), 3, k);
    actorRecord(a, 0);
    out.push(a.net.layers.map((L) => L.eW.slice()));
  }
  return out;
}

describe('actor eligibility traces', () => {
  it('code form: e = lambda*gamma*e + grad', () => {
    const g = stepGrads(3);
    const a = createActor(opts);
    const d = 0.8 * 0.98;
    for (let k = 0; k < 3; k++) {
      actorForward(a, obsAt(k), 3, k);
      actorRecord(a, d);
    }
    a.net.layers.forEach((L, l) => {
      for (let i = 0; i < L.eW.length; i++) {
        expect(L.eW[i]).toBeCloseTo(d * d * g[0]![l]![i]! + d * g[1]![l]![i]! + g[2]![l]![i]!, 5);
      }
    });
    expect(g[2]![0]!.some((v) => v !== 0)).toBe(true);
  });

  it('shifted form (eqs. 13-17): depth-d layer is delayed by M - d steps and scaled by 1 - lambda', () => {
    const g = stepGrads(4);
    const a = createActor({ ...opts, shiftedTraces: true });
    const lam = 0.8,
      d = lam * 0.98,
      s = 1 - lam;
    for (let k = 0; k < 4; k++) {
      actorForward(a, obsAt(k), 3, k);
      actorRecord(a, d, s);
    }
    const [h1, h2, out] = a.net.layers;
    for (let i = 0; i < h1!.eW.length; i++) {
      // Layer 1 (delay 2) has seen g0 (at record 2) and g1 (at record 3).
      expect(h1!.eW[i]).toBeCloseTo(s * (d * g[0]![0]![i]! + g[1]![0]![i]!), 5);
    }
    for (let i = 0; i < h2!.eW.length; i++) {
      expect(h2!.eW[i]).toBeCloseTo(s * (d * d * g[0]![1]![i]! + d * g[1]![1]![i]! + g[2]![1]![i]!), 5);
    }
    for (let i = 0; i < out!.eW.length; i++) {
      const want = s * (d ** 3 * g[0]![2]![i]! + d ** 2 * g[1]![2]![i]! + d * g[2]![2]![i]! + g[3]![2]![i]!);
      expect(out!.eW[i]).toBeCloseTo(want, 5);
    }
  });

  it('clearing zeroes only the masked replica, delay lines included', () => {
    const a = createActor({ ...opts, shiftedTraces: true });
    for (let k = 0; k < 3; k++) {
      actorForward(a, obsAt(k), 3, k);
      actorRecord(a, 0.5);
    }
    actorClearTraces(a, [0, 1]);
    for (const L of a.net.layers) {
      const n = L.nOut * L.fanIn;
      expect(L.eW.subarray(n).every((v) => v === 0)).toBe(true);
      expect(L.eB.subarray(L.nOut).every((v) => v === 0)).toBe(true);
      expect(L.eW.subarray(0, n).some((v) => v !== 0)).toBe(true);
    }
    // Replica 1's delayed gradients are gone: its first hidden layer stays empty one more record.
    actorForward(a, obsAt(5), 3, 5);
    actorRecord(a, 0.5);
    const h1 = a.net.layers[0]!;
    expect(h1.eW.subarray(h1.nOut * h1.fanIn).every((v) => v === 0)).toBe(true);
  });
});
