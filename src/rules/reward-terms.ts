import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { LogisticPopulation } from '../population/logistic.ts';
import type { HostArray, KernelDef } from '../run/kernel-def.ts';
import type { BufferDecl, Op } from '../run/program.ts';

const f = Math.fround;

/** The params struct every reward-term kernel reads (shaders/reward-term-common.wgsl). */
export const TERM_PARAMS = new ParamsLayout('TermParams', {
  replicas: 'u32',
  actStride: 'u32',
  neurons: 'u32',
  layerCount: 'u32',
  rewardCol: 'u32',
  rewardStride: 'u32',
  weight: 'f32',
  goal: 'f32',
});

/** One reward term's layout in a step program. */
export interface TermLayout {
  replicas: number;
  actStride: number;
  /** Neurons of the population (P). */
  neurons: number;
  layerCount: number;
  /** Neuron p's learning reward is rewardOut[r * rewardStride + rewardCol + p]; spikes rows have stride actStride. */
  rewardCol: number;
  rewardStride: number;
  weight: number;
  /** The sparsity term's target firing fraction (unused by the others; `goal` in WGSL, where `target` is reserved). */
  target: number;
}

/** What a term's twin does for one (replica, neuron): the reward slot's new value from its old one. */
type TermTwin = (l: TermLayout, act: Float32Array, envReward: Float32Array, table: Uint32Array, r: number, p: number, layer: number, col: number, old: number) => number;

class TermKernel extends Kernel {
  readonly params: ParamsBuffer<typeof TERM_PARAMS.fields>;
  constructor(
    ctx: GpuContext,
    wgsl: string,
    readonly l: TermLayout,
  ) {
    super(ctx, wgsl);
    TERM_PARAMS.checkAgainst(wgsl);
    this.params = new ParamsBuffer(ctx.device, TERM_PARAMS, `${wgsl}:params`);
    this.params.set({ ...l, goal: l.target });
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.l.replicas * this.l.neurons);
  }
}

/** A reward term's kernel def: the shared prologue's bindings, its own WGSL body, and its twin. */
function termKernel(wgsl: string, twin: TermTwin): KernelDef<TermLayout> {
  return {
    wgsl,
    uniform: true,
    bindings: ['envReward', 'layers', 'spikes', 'rewardOut'],
    parity: 'reward terms (reinforce with activity, sparsity, metabolic cost)',
    cpu: (l, b: Readonly<Record<string, HostArray>>) => {
      const envReward = b.envReward as Float32Array,
        table = b.layers as Uint32Array,
        act = b.spikes as Float32Array,
        out = b.rewardOut as Float32Array;
      return () => {
        for (let r = 0; r < l.replicas; r++) {
          for (let p = 0; p < l.neurons; p++) {
            let layer = 0;
            for (let k = 0; k < l.layerCount; k++) if (p >= table[4 * k + 1]!) layer = k;
            const col = table[4 * layer]! + (p - table[4 * layer + 1]!);
            const slot = r * l.rewardStride + l.rewardCol + p;
            out[slot] = twin(l, act, envReward, table, r, p, layer, col, out[slot]!);
          }
        }
      };
    },
    gpu: (ctx, l) => {
      const k = new TermKernel(ctx, wgsl, l);
      return {
        group: (b, label) => k.bindGroup(label, [k.params.buffer, b.envReward!, b.layers!, b.spikes!, b.rewardOut!]),
        encode: (pass, g) => k.encode(pass, g),
        destroy: () => k.params.destroy(),
      };
    },
  };
}

/** 'task': weight x the env reward, broadcast to every neuron (runs first and writes). */
export const REWARD_TASK = termKernel('reward-task', (l, _act, envReward, _t, r) => f(f(l.weight) * envReward[r]!));

/** 'activity' (Ott 2020): + weight when the neuron spiked this step. */
export const REWARD_ACTIVITY = termKernel('reward-activity', (l, act, _e, _t, r, _p, _layer, col, old) => f(old + f(f(l.weight) * act[r * l.actStride + col]!)));

/** 'sparsity' (Ott 2020), hidden layers: e = |layer firing fraction - target|; -weight e if fired, +weight e if silent. */
export const REWARD_SPARSITY = termKernel('reward-sparsity', (l, act, _e, table, r, _p, layer, col, old) => {
  if (table[4 * layer + 3] === 0) return old;
  const first = r * l.actStride + table[4 * layer]!,
    count = table[4 * layer + 2]!;
  let fired = 0;
  for (let k = 0; k < count; k++) fired = f(fired + act[first + k]!);
  const e = Math.abs(f(f(fired / count) - f(l.target)));
  const we = f(f(l.weight) * e);
  return f(old + (act[r * l.actStride + col]! > 0.5 ? -we : we));
});

/** 'metabolic' (Singh): - weight x spike x (1 + synapses it drives: the next layer's neuron count). */
export const REWARD_METABOLIC = termKernel('reward-metabolic', (l, act, _e, table, r, _p, layer, col, old) => {
  const fanOut = layer + 1 < l.layerCount ? table[4 * (layer + 1) + 2]! : 0;
  return f(old - f(f(f(l.weight) * act[r * l.actStride + col]!) * (1 + fanOut)));
});

/**
 * The registered reward terms, in the order they run (task first: it writes, the rest add). A rule
 * that trains a logistic population with per-neuron rewards takes any of them from the experiment's
 * `rule.terms`; adding a term is its WGSL file, its twin here and one line below.
 */
export const REWARD_TERMS = {
  task: REWARD_TASK,
  activity: REWARD_ACTIVITY,
  sparsity: REWARD_SPARSITY,
  metabolic: REWARD_METABOLIC,
} satisfies Record<string, KernelDef<TermLayout>>;

export type TermName = keyof typeof REWARD_TERMS;
export type TermSettings = Partial<Record<TermName, { weight: number; target?: number }>>;

/** The layer table the term kernels read: 4 words per layer (spike column, neuron index, count, hidden). */
export function termTable(p: LogisticPopulation): Uint32Array {
  const t = new Uint32Array(4 * p.layers.length);
  p.layers.forEach((l, i) => t.set([l.outOffset, l.probOffset, l.neurons, i < p.layers.length - 1 ? 1 : 0], 4 * i));
  return t;
}

/** The weighted terms as ops over `spikes` / `rewardOut`, in registry order (the first writes). */
export function termOps(
  base: Omit<TermLayout, 'weight' | 'target'>,
  terms: TermSettings,
  bind: { envReward: string; layers: string; spikes: string | readonly [string, string]; rewardOut: string },
  withTask: boolean,
): Op[] {
  return (Object.keys(REWARD_TERMS) as TermName[])
    .filter((name) => (name === 'task' ? withTask : Boolean(terms[name])))
    .map((name): Op => ({ kernel: REWARD_TERMS[name], layout: { ...base, weight: terms[name]?.weight ?? 0, target: terms[name]?.target ?? 0 } satisfies TermLayout, bind }));
}

/**
 * The reinforce rule's term ops of one step (after the env step, before the record): every neuron
 * of the population gets a learning reward in `neuron-reward` [R, P], 'task' first (it writes).
 */
export function rewardTermOps(p: LogisticPopulation, terms: TermSettings): { buffers: BufferDecl[]; ops: Op[] } {
  const base = { replicas: p.R, actStride: p.S, neurons: p.P, layerCount: p.layers.length, rewardCol: 0, rewardStride: p.P };
  return {
    buffers: [
      { name: 'reward-layers', type: 'u32', length: 4 * p.layers.length, init: termTable(p), constant: true },
      { name: 'neuron-reward', type: 'f32', length: p.R * p.P, scratch: true },
    ],
    ops: termOps(base, terms, { envReward: 'env.reward', layers: 'reward-layers', spikes: ['act-a', 'act-b'], rewardOut: 'neuron-reward' }, true),
  };
}
