import { describe, expect, it } from 'vitest';
import { rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import { initLogisticParams, logisticEpisodeGradients, logisticForward } from '../../src/ott/logistic-policy.ts';
import { initMlpParams, mlpEpisodeGradients, mlpForward, mlpLayout, mlpLogProbRef } from '../../src/ott/mlp-policy.ts';
import { buildOttWiring, type OttWiring } from '../../src/ott/wiring.ts';

/** A random T-step trajectory for every replica: observations, random spikes, random returns. */
function randomEpisode(w: OttWiring, R: number, T: number, seed: number) {
  const S = w.signalSize;
  const N = w.numNeurons;
  const hist = new Float32Array(R * T * S);
  const returns = new Float32Array(R * T * N);
  let c = 0;
  const u = () => rngUniform(seed, Stream.test, 0, c++);
  for (let i = 0; i < hist.length; i++) {
    hist[i] = i % S < w.numInputs ? 2 * u() - 1 : u() < 0.5 ? 1 : 0;
  }
  for (let i = 0; i < returns.length; i++) returns[i] = 2 * u() - 1;
  return { hist, returns, lengths: new Uint32Array(R).fill(T) };
}

function gather(w: OttWiring, n: number, sig: ArrayLike<number>, base: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < w.fanInCount[n]!; k++) out.push(sig[base + w.fanIn[n * w.fanInK + k]!]!);
  return out;
}

describe('MLP neuron policy', () => {
  const w = buildOttWiring(2, 3); // fan-ins 4 (layer 1), 1-2 (layer 2), 3 (output)
  const H = 5;
  const L = mlpLayout(w.fanInK, H);
  const slope = 0.3;

  it('initialises like torch nn.Linear: U(+-1/sqrt(in)), padding zero, keyed by (seed, replica, neuron)', () => {
    const p = initMlpParams(w, H, 2, 9);
    expect(p).toEqual(initMlpParams(w, H, 2, 9));
    const N = w.numNeurons;
    // replica 1 differs from replica 0
    expect(p.subarray(0, N * L.P)).not.toEqual(p.subarray(N * L.P));
    for (let n = 0; n < N; n++) {
      const base = n * L.P;
      const b1 = 1 / Math.sqrt(w.initFanIn[n]!);
      for (let h = 0; h < H; h++) {
        for (let k = 0; k < L.K; k++) {
          const v = p[base + L.w1 + h * L.K + k]!;
          if (k >= w.fanInCount[n]!) expect(v).toBe(0);
          else expect(Math.abs(v)).toBeLessThanOrEqual(b1);
        }
        expect(Math.abs(p[base + L.b1 + h]!)).toBeLessThanOrEqual(b1);
      }
      for (let j = L.w2; j < L.P; j++) expect(Math.abs(p[base + j]!)).toBeLessThanOrEqual(1 / Math.sqrt(H));
    }
    // draw j of neuron (r=1, n=2) is rngUniform(seed, init, r*N+n, j)
    const j = L.b1 + 1;
    const u = rngUniform(9, Stream.init, N + 2, j);
    const bound = 1 / Math.sqrt(w.initFanIn[2]!);
    expect(p[(N + 2) * L.P + j]).toBe(Math.fround(-bound + 2 * bound * u));
  });

  it('forward gives softmax probabilities and counter-RNG spikes, layer by layer, only for active replicas', () => {
    const R = 3;
    const params = initMlpParams(w, H, R, 4);
    const S = w.signalSize;
    const N = w.numNeurons;
    const signals = new Float32Array(R * S);
    for (let r = 0; r < R; r++) for (let k = 0; k < 4; k++) signals[r * S + k] = 0.3 * (k - 1.5) + 0.1 * r;
    const probs = new Float32Array(R * N).fill(-1);
    const active = new Uint8Array([1, 0, 1]);
    for (let l = 0; l <= w.layers; l++) mlpForward(w, H, slope, params, R, signals, w.layerStart[l]!, w.layerStart[l + 1]!, active, 77, 123, probs);
    for (let r = 0; r < R; r++) {
      for (let n = 0; n < N; n++) {
        if (!active[r]) {
          expect(probs[r * N + n]).toBe(-1);
          expect(signals[r * S + 4 + n]).toBe(0);
          continue;
        }
        const x = gather(w, n, signals, r * S);
        const p1 = Math.exp(mlpLogProbRef(params.subarray((r * N + n) * L.P), L, x, slope, 1));
        expect(probs[r * N + n]).toBeCloseTo(p1, 6);
        const u = rngUniform(77, Stream.spike, r * N + n, 123);
        expect(signals[r * S + 4 + n]).toBe(u < probs[r * N + n]! ? 1 : 0);
      }
    }
  });

  it('episode gradient of sum_t -G_t log pi(a_t|x_t) matches central finite differences', () => {
    const R = 2;
    const T = 4;
    const params = initMlpParams(w, H, R, 11);
    const { hist, returns, lengths } = randomEpisode(w, R, T, 5);
    const grads = new Float32Array(params.length).fill(NaN);
    const learn = new Uint8Array([0, 1]);
    mlpEpisodeGradients(w, H, slope, params, R, hist, T, lengths, returns, learn, grads);
    const N = w.numNeurons;
    const S = w.signalSize;
    expect(Number.isNaN(grads[0]!)).toBe(true); // replica 0 not learning: untouched
    const r = 1;
    let checked = 0;
    for (let n = 0; n < N; n++) {
      const base = (r * N + n) * L.P;
      const theta = Float64Array.from(params.subarray(base, base + L.P));
      const loss = (th: Float64Array) => {
        let s = 0;
        for (let t = 0; t < T; t++) {
          const sb = (r * T + t) * S;
          const a = hist[sb + 4 + n]!;
          s -= returns[(r * T + t) * N + n]! * mlpLogProbRef(th, L, gather(w, n, hist, sb), slope, a);
        }
        return s;
      };
      for (let j = 0; j < L.P; j++) {
        const eps = 1e-5;
        const tp = Float64Array.from(theta);
        tp[j] = theta[j]! + eps;
        const tm = Float64Array.from(theta);
        tm[j] = theta[j]! - eps;
        const fd = (loss(tp) - loss(tm)) / (2 * eps);
        const g = grads[base + j]!;
        expect(Math.abs(g - fd)).toBeLessThan(1e-4 + 1e-3 * Math.abs(fd));
        if (j < L.b1 && j % L.K >= w.fanInCount[n]!) expect(g).toBe(0);
        checked++;
      }
    }
    expect(checked).toBe(N * L.P);
  });
});

describe('logistic neuron policy', () => {
  const w = buildOttWiring(1, 4);

  it('forward: P(spike) = sigmoid(b + w.x), spike from the counter RNG', () => {
    const params = initLogisticParams(w, 1, 3);
    const S = w.signalSize;
    const signals = new Float32Array(S);
    signals.set([0.1, -0.2, 0.3, -0.4]);
    const probs = new Float32Array(w.numNeurons);
    for (let l = 0; l <= w.layers; l++) logisticForward(w, params, 1, signals, w.layerStart[l]!, w.layerStart[l + 1]!, new Uint8Array([1]), 5, 9, probs);
    const P = w.fanInK + 1;
    for (let n = 0; n < w.numNeurons; n++) {
      const x = gather(w, n, signals, 0);
      let z = params[n * P + w.fanInK]!;
      x.forEach((v, k) => (z += params[n * P + k]! * v));
      expect(probs[n]).toBeCloseTo(1 / (1 + Math.exp(-z)), 6);
      expect(signals[4 + n]).toBe(rngUniform(5, Stream.spike, n, 9) < probs[n]! ? 1 : 0);
    }
  });

  it('episode gradient matches finite differences', () => {
    const T = 5;
    const params = initLogisticParams(w, 1, 2);
    const { hist, returns, lengths } = randomEpisode(w, 1, T, 8);
    const grads = new Float32Array(params.length);
    logisticEpisodeGradients(w, params, 1, hist, T, lengths, returns, new Uint8Array([1]), grads);
    const P = w.fanInK + 1;
    const S = w.signalSize;
    const N = w.numNeurons;
    for (let n = 0; n < N; n++) {
      const loss = (th: Float64Array) => {
        let s = 0;
        for (let t = 0; t < T; t++) {
          const x = gather(w, n, hist, t * S);
          let z = th[w.fanInK]!;
          x.forEach((v, k) => (z += th[k]! * v));
          const p1 = 1 / (1 + Math.exp(-z));
          const a = hist[t * S + 4 + n]!;
          s -= returns[t * N + n]! * Math.log(a ? p1 : 1 - p1);
        }
        return s;
      };
      const theta = Float64Array.from(params.subarray(n * P, (n + 1) * P));
      for (let j = 0; j < P; j++) {
        const tp = Float64Array.from(theta);
        const tm = Float64Array.from(theta);
        tp[j] = theta[j]! + 1e-5;
        tm[j] = theta[j]! - 1e-5;
        const fd = (loss(tp) - loss(tm)) / 2e-5;
        expect(Math.abs(grads[n * P + j]! - fd)).toBeLessThan(1e-4 + 1e-3 * Math.abs(fd));
      }
    }
  });
});
