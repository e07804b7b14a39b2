import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';

export const SYNQ_LOG_PARAMS = new ParamsLayout('SynqLogParams', { replicas: 'u32', cap: 'u32', rewards: 'u32' });

/** Words before the ring: [t of the last logged iteration | 0]. */
export const SYNQ_LOG_HEADER = 2;
/** Words per (iteration, replica) entry: loss as f64 (lo, hi), reward code. */
export const SYNQ_LOG_ENTRY = 3;

/** synq-log's layout: R replicas, a ring of `cap` iterations (at least the longest chunk). */
export interface SynqLogLayout {
  replicas: number;
  cap: number;
  /** Log the reward codes (synaptic Q); 0 otherwise (GD). */
  rewards: boolean;
}

/** Words of the header and the ring. */
export function synqLogWords(l: Pick<SynqLogLayout, 'replicas' | 'cap'>): number {
  return SYNQ_LOG_HEADER + l.cap * l.replicas * SYNQ_LOG_ENTRY;
}

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** The CPU twin: iteration t's losses (f32 or f64 host array) and reward codes into the ring. */
export function synqLogCpu(l: SynqLogLayout, t: number, loss: Float32Array | Float64Array, codes: Uint32Array, metrics: Uint32Array): void {
  const R = l.replicas;
  for (let r = 0; r < R; r++) {
    const base = SYNQ_LOG_HEADER + ((((t - 1) >>> 0) % l.cap) * R + r) * SYNQ_LOG_ENTRY;
    f64[0] = loss[r]!;
    metrics[base] = f64Words[0]!;
    metrics[base + 1] = f64Words[1]!;
    metrics[base + 2] = l.rewards ? codes[r]! : 0;
  }
  metrics[0] = t;
}

/** Reads entry (t, r) of the ring: the loss and the reward code. */
export function synqLogEntry(l: Pick<SynqLogLayout, 'replicas' | 'cap'>, words: Uint32Array, t: number, r: number): { loss: number; code: number } {
  const base = SYNQ_LOG_HEADER + ((((t - 1) >>> 0) % l.cap) * l.replicas + r) * SYNQ_LOG_ENTRY;
  f64Words[0] = words[base]!;
  f64Words[1] = words[base + 1]!;
  return { loss: f64[0]!, code: words[base + 2]! };
}

/** synq-log in the kernel registry: the per-iteration log (shaders/synq-log.wgsl). */
export const SYNQ_LOG = paramsKernelDef<SynqLogLayout, typeof SYNQ_LOG_PARAMS.fields>({
  wgsl: 'synq-log',
  params: SYNQ_LOG_PARAMS,
  bindings: ['clock', 'loss', 'rewardCodes', 'metrics'],
  parity: 'synq step (mnist, train policy)',
  values: (l) => ({ replicas: l.replicas, cap: l.cap, rewards: l.rewards ? 1 : 0 }),
  invocations: (l) => l.replicas,
  cpu: (l, b) => {
    const clock = b.clock as Uint32Array,
      loss = b.loss as Float32Array | Float64Array,
      codes = b.rewardCodes as Uint32Array,
      metrics = b.metrics as Uint32Array;
    return () => synqLogCpu(l, clock[0]!, loss, codes, metrics);
  },
});
