import { ADAM_DEFAULTS, type AdamOptions } from '../../src/chung/adam.ts';
import { createCritic, criticBackward, criticClearTraces, criticForward, criticLearn } from '../../src/chung/critic.ts';
import { CRITIC_LAYER_ARRAYS, GpuCritic, type CriticLayerArray } from '../../src/chung/critic-gpu.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { CounterRng } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/** What each critic parity entry checks. */
export type CriticParityPart = 'forward' | 'backward' | 'adam' | 'td-steps';

/** Which arrays each part compares (the others are inputs). */
const COMPARED: Record<CriticParityPart, readonly CriticLayerArray[]> = {
  forward: ['pot', 'values'],
  backward: ['charac', 'eW', 'eB'],
  adam: ['w', 'b', 'mW', 'vW', 'mB', 'vB'],
  'td-steps': CRITIC_LAYER_ARRAYS,
};

function fill(a: Float32Array, rng: CounterRng, lo: number, hi: number): void {
  for (let i = 0; i < a.length; i++) a[i] = rng.range(lo, hi);
}

/**
 * The critic's kernels (shaders/chung-critic-*.wgsl via GpuCritic) against their CPU twins
 * (src/kernels/chung-critic-cpu.ts via src/chung/critic.ts), 6 replicas of the paper's 8-64-32-1
 * softplus critic:
 * - forward / backward / adam: both sides start from the same random state (traces, moments and
 *   masks non-trivial; two Adam steps, one with bias correction and one past it) and run one phase;
 * - td-steps: 40 steps of the trainer's sequence (forward, learn on delta, clear + backward) from
 *   the same init, delta from the CPU's values and random rewards, every array compared at the end.
 * Error = |gpu - cpu| / max(1, |cpu|) over every compared element (maxAbsError holds it; NaN counts
 * as Infinity). Both sides round every + and * to f32 in the same order; only exp / log / sqrt
 * differ (WGSL does not round them correctly).
 */
export async function chungCriticParity(ctx: GpuContext, part: CriticParityPart): Promise<ParityReport> {
  const R = 6,
    obsDim = 8;
  const cpu = createCritic(R, obsDim, [64, 32], 17);
  const back = createCritic(R, obsDim, [64, 32], 17);
  const gpu = new GpuCritic(ctx, cpu);
  const rng = new CounterRng(5, 77);
  const obs = new Float32Array(R * obsDim);
  const delta = new Float32Array(R);
  const mask = new Uint32Array(R);
  const adam: AdamOptions = { ...ADAM_DEFAULTS };
  const decay = 0.8 * 0.98;
  let steps = 0;
  try {
    const pass = (label: string, record: (p: GPUComputePassEncoder) => void) => runPass(ctx, label, record);
    if (part === 'td-steps') {
      gpu.upload(cpu);
      const valueOld = new Float32Array(R);
      for (let i = 0; i < 40; i++) {
        fill(obs, rng, -2, 2);
        gpu.writeObs(obs);
        await pass('critic forward', (p) => gpu.encodeForward(p));
        const v = criticForward(cpu, obs);
        if (i > 0) {
          for (let r = 0; r < R; r++) delta[r] = mask[r] ? 0 : rng.range(-1, 1) + 0.98 * v[r]! - valueOld[r]!;
          const lr = [0.04, 0.004, 0.0004];
          gpu.writeDelta(delta);
          gpu.setLearn(lr, i, adam);
          await pass('critic learn', (p) => gpu.encodeLearn(p));
          criticLearn(cpu, delta, lr, i, adam);
        }
        for (let r = 0; r < R; r++) mask[r] = rng.uniform() < 0.1 ? 1 : 0;
        gpu.writeMask(mask);
        gpu.setDecay(decay);
        await pass('critic backward', (p) => gpu.encodeBackward(p));
        criticClearTraces(cpu, mask);
        criticBackward(cpu, decay);
        valueOld.set(v);
        steps++;
      }
    } else {
      // A random mid-training state: weights, traces, moments, and the last forward pass.
      for (const L of cpu.net.layers) {
        fill(L.w, rng, -0.5, 0.5);
        fill(L.b, rng, -0.2, 0.2);
        fill(L.eW, rng, -2, 2);
        fill(L.eB, rng, -2, 2);
        fill(L.mW, rng, -0.1, 0.1);
        fill(L.mB, rng, -0.1, 0.1);
        fill(L.vW, rng, 0, 0.01);
        fill(L.vB, rng, 0, 0.01);
      }
      fill(obs, rng, -2, 2);
      criticForward(cpu, obs);
      gpu.writeObs(obs);
      gpu.upload(cpu);
      if (part === 'forward') {
        for (const L of cpu.net.layers) {
          L.pot.fill(0);
          L.values.fill(0);
        }
        criticForward(cpu, obs);
        await pass('critic forward', (p) => gpu.encodeForward(p));
      } else if (part === 'backward') {
        mask.set([0, 1, 0, 0, 1, 0]);
        gpu.writeMask(mask);
        gpu.setDecay(decay);
        await pass('critic backward', (p) => gpu.encodeBackward(p));
        criticBackward(cpu, decay, mask);
      } else {
        fill(delta, rng, -1, 1);
        gpu.writeDelta(delta);
        // One submit per step: each step's scalars live in the kernels' uniforms.
        for (const [t, lr] of [
          [3, [0.04, 0.004, 0.0004]],
          [1500, [0.02, 0.002, 0.0002]],
        ] as const) {
          gpu.setLearn(lr, t, adam);
          await pass('critic adam', (p) => gpu.encodeLearn(p));
          criticLearn(cpu, delta, lr, t, adam);
        }
      }
      steps = 1;
    }
    await gpu.download(back);
    let count = 0,
      maxAbsError = 0,
      moved = 0;
    cpu.net.layers.forEach((L, l) => {
      const G = back.net.layers[l]!;
      for (const k of COMPARED[part]) {
        const h = L[k],
          g = G[k];
        for (let i = 0; i < h.length; i++, count++) {
          const d = Math.abs(g[i]! - h[i]!) / Math.max(1, Math.abs(h[i]!));
          maxAbsError = Math.max(maxAbsError, Number.isNaN(d) ? Infinity : d);
          if (h[i] !== 0) moved++;
        }
      }
    });
    return { name: `chung-critic ${part}`, count, exactMismatches: 0, maxAbsError, notes: { steps, nonZero: moved } };
  } finally {
    gpu.destroy();
  }
}
