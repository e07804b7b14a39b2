/**
 * The fused Ott step on CartPole (shaders/ott-fused-cartpole.wgsl): one dispatch, one invocation
 * per replica, runs the whole multi-dispatch step of src/rules/ott.ts (every op but the clock tick)
 * for its replica, by calling the multi-dispatch kernels' own WGSL bodies. The program's small
 * buffers live in two arenas (`ott.f32`, `ott.u32`), each a `#view` of the named buffers the bodies
 * index, so the kernel binds 7 storage buffers instead of 18 (SwiftShader in Chromium allows 10).
 * Its CPU twin runs the multi-dispatch ops' twins, in order, over subarray views of the same
 * arenas: the same computation as the op list by construction.
 */
import { CARTPOLE_PARAMS, type CartPoleOpLayout, cartpoleParamValues, CARTPOLE_STEP } from '../envs/cartpole-gpu.ts';
import type { GpuContext } from '../gpu/context.ts';
import { ParamsLayout } from '../gpu/params.ts';
import type { CpuOp, GpuKernel, HostArray, KernelDef } from '../run/kernel-def.ts';
import { ParamsKernel } from '../run/params-kernel.ts';
import type { BufferDecl, Op, StepProgram } from '../run/program.ts';
import { initOf } from '../run/program.ts';
import { CLOCK_TICK } from './clock.ts';
import { OTT_PARAMS, type OttParamValues } from './ott.ts';

/** The arenas and the named buffers each packs (the `#view` lines of the WGSL). */
const VIEWS = {
  'ott.f32': {
    state: 'env.state',
    reward: 'env.reward',
    obs: 'obs',
    signals: 'signals',
    probs: 'probs',
    hist: 'hist',
    rewardHist: 'rewardHist',
    fractions: 'fractions',
    terms: 'terms',
    rf: 'rf',
    returnWindow: 'returnWindow',
  },
  'ott.u32': { rs: 'rs', counters: 'env.counters', episodeLog: 'episodeLog', wiring: 'wiring' },
} as const;
type ViewField = `v${Capitalize<keyof (typeof VIEWS)['ott.f32'] | keyof (typeof VIEWS)['ott.u32']>}`;
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const VIEW_FIELDS = Object.fromEntries(Object.values(VIEWS).flatMap((v) => Object.keys(v).map((k) => [`v${cap(k)}`, 'u32' as const]))) as Record<ViewField, 'u32'>;

/** The fused kernel's params: the Ott kernels' fields, CartPole's (one seed: both are the run's), and each view's offset in its arena. */
export const OTT_FUSED_PARAMS = new ParamsLayout('OttFusedParams', { ...OTT_PARAMS.fields, ...CARTPOLE_PARAMS.fields, ...VIEW_FIELDS });
export type OttFusedValues = { [K in keyof typeof OTT_FUSED_PARAMS.fields]: number };

/** Storage bindings after the params uniform (shaders/ott-fused-cartpole.wgsl). */
const BINDINGS = ['af', 'au', 'clock', 'theta', 'grads', 'm', 'v'] as const;
/** Program buffer bound to each binding. */
const BIND = { af: 'ott.f32', au: 'ott.u32', clock: 'clock', theta: 'theta', grads: 'grads', m: 'm', v: 'v' } as const;

/** Where a named buffer of the multi-dispatch program lives in the fused one. */
export interface ArenaView {
  arena: 'ott.f32' | 'ott.u32';
  offset: number;
  length: number;
}

/** One fused op: the uniform's values, the multi-dispatch ops it stands for (run by the twin) and the views. */
export interface OttFusedLayout {
  values: OttFusedValues;
  /** The multi-dispatch op list of one step without its clock tick (mode 0), or the env reset (mode 1). */
  ops: readonly Op[];
  views: Readonly<Record<string, ArenaView>>;
  /** Invocations of one dispatch (replicas, or replicas x neurons for the split form's update). */
  invocations: number;
  /** Invocations per workgroup. */
  workgroup: number;
}

/** Named host arrays of the multi-dispatch program as views of the fused program's arenas. */
export function arenaViews(views: Readonly<Record<string, ArenaView>>, b: Readonly<Record<string, HostArray>>): Record<string, HostArray> {
  const out: Record<string, HostArray> = {};
  for (const [name, v] of Object.entries(views)) out[name] = b[v.arena === 'ott.f32' ? 'af' : 'au']!.subarray(v.offset, v.offset + v.length);
  for (const [binding, name] of Object.entries(BIND)) if (binding !== 'af' && binding !== 'au') out[name] = b[binding]!;
  return out;
}

/** The twin: every op's twin, in the op list's order, over views of the arenas. */
function ottFusedCpu(l: OttFusedLayout, b: Readonly<Record<string, HostArray>>): CpuOp {
  const named = arenaViews(l.views, b);
  const run = l.ops.map((op) => {
    const arrays: Record<string, HostArray> = {};
    for (const [binding, name] of Object.entries(op.bind)) {
      if (typeof name !== 'string') throw new Error('ott-fused-cartpole: the Ott program binds no ping-pong pairs');
      arrays[binding] = named[name]!;
    }
    return op.kernel.cpu(op.layout, arrays);
  });
  return () => {
    for (const f of run) f();
  };
}

/** The parity suite (test/parity/suites.ts) comparing the fused kernel with its twin and with the op list. */
export const OTT_FUSED_PARITY = 'ott-fused-cartpole (vs twin and vs the op list)';

export const OTT_FUSED_CARTPOLE: KernelDef<OttFusedLayout> = {
  wgsl: 'ott-fused-cartpole',
  uniform: true,
  bindings: BINDINGS,
  parity: OTT_FUSED_PARITY,
  cpu: ottFusedCpu,
  gpu: (ctx: GpuContext, l: OttFusedLayout): GpuKernel => new ParamsKernel(ctx, 'ott-fused-cartpole', OTT_FUSED_PARAMS, () => l.values, {}, BINDINGS, l.invocations, l.workgroup),
};

/** Whether a multi-dispatch Ott program can take the fused form: the MLP policy on CartPole, no ping-pong bindings. */
export function ottFusedApplies(program: StepProgram): boolean {
  return (
    program.step.some((op) => op.kernel.wgsl === 'ott-mlp-forward') && program.step.some((op) => op.kernel === CARTPOLE_STEP) && !program.step.some((op) => op.kernel.wgsl === 'ott-logistic-forward')
  );
}

/** How the fused kernel runs a step: 'fused' one dispatch; 'split' three (the step to replica-step per replica, the update per (replica, neuron), the episode end per replica). */
export type OttFusedForm = 'fused' | 'split';

/**
 * The fused form of a multi-dispatch Ott CartPole program (`ottProgram`): the same buffers, the
 * small ones packed into the arenas `ott.f32` / `ott.u32` (their offsets in `views`), and a step of
 * the fused kernel (one op, or the split form's three) and the clock tick; the reset is the fused
 * kernel in mode 1.
 */
export function ottFusedProgram(program: StepProgram, opts: { workgroup?: number; form?: OttFusedForm } = {}): { program: StepProgram; views: Record<string, ArenaView> } {
  if (!ottFusedApplies(program)) throw new Error('ottFusedProgram: needs the Ott MLP program on CartPole');
  const decl = (n: string) => {
    const d = program.buffers.find((b) => b.name === n);
    if (!d) throw new Error(`ottFusedProgram: no buffer '${n}'`);
    return d;
  };
  const views: Record<string, ArenaView> = {};
  const arenas: BufferDecl[] = [];
  for (const [arena, members] of Object.entries(VIEWS) as [ArenaView['arena'], Record<string, string>][]) {
    let at = 0;
    const parts = Object.values(members).map((n) => {
      const d = decl(n);
      views[n] = { arena, offset: at, length: d.length };
      at += d.length;
      return d;
    });
    const type = arena === 'ott.f32' ? 'f32' : 'u32';
    arenas.push({
      name: arena,
      type,
      length: at,
      init: () => {
        const a = type === 'f32' ? new Float32Array(at) : new Uint32Array(at);
        for (const d of parts) {
          const i = initOf(d);
          if (i) a.set(i, views[d.name]!.offset);
        }
        return a;
      },
    });
  }
  const packed = new Set(Object.keys(views));
  const buffers = [...arenas, ...program.buffers.filter((b) => !packed.has(b.name))];
  const ops = program.step.filter((op) => op.kernel !== CLOCK_TICK);
  const ott = program.step.find((op) => op.kernel.wgsl === 'ott-step-begin')!.layout as OttParamValues;
  const env = program.step.find((op) => op.kernel === CARTPOLE_STEP)!;
  const envReset = program.reset.find((op) => op.kernel === CARTPOLE_STEP);
  if (!envReset || program.reset.length !== 1) throw new Error('ottFusedProgram: the Ott program resets with the env alone');
  const offsets = Object.fromEntries(Object.entries(VIEWS).flatMap(([, members]) => Object.entries(members).map(([field, n]) => [`v${cap(field)}`, views[n]!.offset]))) as Record<ViewField, number>;
  const values = (mode: number): OttFusedValues => {
    const e = env.layout as CartPoleOpLayout;
    if (e.seed !== ott.seed) throw new Error(`ottFusedProgram: the env's seed ${e.seed} differs from the Ott kernels' ${ott.seed}`);
    return { ...ott, ...cartpoleParamValues(e.params, e.numEnvs, e.seed, mode, e.act, e.obs), ...offsets };
  };
  const workgroup = opts.workgroup ?? 64;
  const bind = { ...BIND };
  const op = (mode: number, of: readonly Op[], invocations = ott.replicas): Op => ({
    kernel: OTT_FUSED_CARTPOLE,
    layout: { values: values(mode), ops: of, views, invocations, workgroup } satisfies OttFusedLayout,
    bind,
  });
  const at = (wgsl: string) => ops.findIndex((o) => o.kernel.wgsl === wgsl);
  const [returns, end] = [at('ott-returns'), at('ott-episode-end')];
  if (returns < 0 || end !== ops.length - 1) throw new Error('ottFusedProgram: the Ott op list ends with returns ... episode-end');
  const fusedSteps = opts.form === 'split' ? [op(2, ops.slice(0, returns)), op(3, ops.slice(returns, end), ott.replicas * ott.neurons), op(4, ops.slice(end))] : [op(0, ops)];
  return {
    views,
    program: {
      buffers,
      reset: [op(1, [envReset])],
      step: [...fusedSteps, { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } }],
      metrics: { buffer: 'ott.u32', offset: views.episodeLog!.offset, length: views.episodeLog!.length },
    },
  };
}
