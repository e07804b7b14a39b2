import { describe, expect, it } from 'vitest';
import { reinforceWeightMaxCpu, type WeightMaxLayout } from '../../src/kernels/reinforce-cpu.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';

/**
 * Weight Max through time (shaders/reinforce-weight-max.wgsl) against its definition written out in
 * f64 on a 3-neuron recurrent layer: neuron 0 the motor output, 1 and 2 feeding it.
 */
describe('reinforce-weight-max twin', () => {
  // Row: [obs | prev s0 s1 s2 | s0 s1 s2] (S = 7), then p0 p1 p2, then the learning rewards.
  const N = 3,
    K = 2,
    T = 4,
    L = 4,
    S = 7,
    W = S + 2 * N;
  const U: WeightMaxLayout = { replicas: 1, neurons: N, fanIn: K, horizon: T, rowWidth: W, inCol: 0, recCol: 1, spikeCol: 4, probCol: S, rewardCol: S + N, motors: 1, gamma: 0.9 };
  const spikes = [
    [1, 0, 1],
    [0, 1, 1],
    [1, 1, 0],
    [1, 0, 1],
  ];
  const probs = [
    [0.6, 0.3, 0.7],
    [0.4, 0.55, 0.8],
    [0.5, 0.45, 0.2],
    [0.7, 0.25, 0.65],
  ];
  const rewards = [0.5, -1, 2, 0.25];
  const traj = new Float32Array(T * W);
  for (let t = 0; t < L; t++) {
    const row = t * W;
    traj[row] = 0.3; // obs
    for (let n = 0; n < N; n++) {
      traj[row + 1 + n] = t > 0 ? spikes[t - 1]![n]! : 0;
      traj[row + 4 + n] = spikes[t]![n]!;
      traj[row + S + n] = probs[t]![n]!;
      traj[row + S + N + n] = rewards[t]! - 0.1 * n; // each neuron's recorded learning reward
    }
  }
  // theta[(slot * N) + k] (one replica): neuron 0 reads 1 (slot 0) and 2 (slot 1).
  const theta = new Float32Array((K + 1) * N);
  theta[0 * N + 0] = 0.8; // w[0 <- 1]
  theta[1 * N + 0] = -1.5; // w[0 <- 2]
  theta[0 * N + 1] = 0.4; // w[1 <- 2]: a synapse within depth 1, not listed
  // Outgoing synapses as slot * N + k: 1 -> (slot 0, k 0), 2 -> (slot 1, k 0).
  const outStart = Uint32Array.from([0, 0, 1, 2]);
  const outSyn = Uint32Array.from([0 * N + 0, 1 * N + 0]);
  const counters = Uint32Array.from([L, 1, 0, 1, 0]); // steps, episodes, pending, terminated, truncated

  it('the motor output gets its standardised returns x (s - p); every other neuron 2 x_{t+1} w q_k(t+1) (s - p), nothing at the last step', () => {
    const expected = new Float64Array(T * N);
    const G: number[] = [];
    let g = 0;
    for (let t = L - 1; t >= 0; t--) G[t] = g = rewards[t]! + 0.9 * g;
    const mean = G.reduce((a, b) => a + b, 0) / L;
    const sd = Math.sqrt(G.reduce((a, b) => a + b * b, 0) / L - mean * mean);
    for (let t = 0; t < L; t++) expected[t * N] = ((G[t]! - mean) / (sd + 1.1920929e-7)) * (spikes[t]![0]! - probs[t]![0]!);
    const w = [0, 0.8, -1.5];
    for (let t = L - 1; t >= 0; t--)
      for (const j of [1, 2]) {
        const rho = t + 1 < L ? 2 * spikes[t]![j]! * w[j]! * expected[(t + 1) * N]! : 0;
        expected[t * N + j] = rho * (spikes[t]![j]! - probs[t]![j]!);
      }
    const out = traj.slice();
    reinforceWeightMaxCpu(U, counters, out, theta, outStart, outSyn);
    for (let t = 0; t < L; t++) for (let n = 0; n < N; n++) expect(out[t * W + S + N + n], `t ${t} neuron ${n}`).toBeCloseTo(expected[t * N + n]!, 5);
    // Some signal reaches the hidden neurons, and the last step gives them none.
    expect(Math.abs(out[0 * W + S + N + 1]!) + Math.abs(out[1 * W + S + N + 2]!)).toBeGreaterThan(0.01);
    expect([out[(L - 1) * W + S + N + 1]!, out[(L - 1) * W + S + N + 2]!].map(Math.abs)).toEqual([0, 0]);
    // The rest of the trajectory is untouched.
    for (let t = 0; t < L; t++) expect(Array.from(out.subarray(t * W, t * W + S + N))).toEqual(Array.from(traj.subarray(t * W, t * W + S + N)));
  });

  it('a replica whose episode did not end is left alone', () => {
    const out = traj.slice();
    reinforceWeightMaxCpu(U, Uint32Array.from([L, 0, 0, 0, 0]), out, theta, outStart, outSyn);
    expect(out).toEqual(traj);
  });

  it('is refused off a connectome wiring and without reward terms, in one line naming the field', () => {
    expect(() => buildModel(parseExperiment({ env: { name: 'cartpole' }, rule: { name: 'reinforce', hiddenRule: 'weightmax', terms: { task: { weight: 1 } } } }))).toThrow(
      /^rule\.hiddenRule weightmax needs a connectome wiring/,
    );
  });
});
