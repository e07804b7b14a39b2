/**
 * Kernels of Chung's actor in the k-major layout for one-step envs (the weight-max-sparse rule,
 * src/rules/weight-max-sparse.ts; the million-agent network): the Bernoulli-logistic hidden forward
 * (dense or sparse fan-in), the softmax output (a fixed-order two-pass drive reduction), the unit
 * reinforcement (broadcast or the Weight Max gather: dense, CSR pieces, or scatter blocks), the
 * second pass of the two-pass gathers, the fused SGD + scatter gather, and the per-parameter Adam /
 * SGD step, as registered kernels (KernelDef). CPU twins: src/kernels/chung-cpu.ts.
 *
 * Kernel forms by adapter: a layout's `forms` ('auto' | 'plain' | 'hardware') picks, when the GPU
 * form is built, the plain forms (an invocation walks its sum alone: fast on SwiftShader) or the
 * hardware ones (split-fan-in forward, grouped dense gather, short output chunks, one invocation
 * per parameter); 'auto' follows `ctx.hardwareAdapter`. The hardware forms add in other f32
 * orders (parity within the same tolerance as against the f64 twins).
 */
import type { GpuContext } from '../gpu/context.ts';
import { DEFAULT_WORKGROUP } from '../gpu/kernel.ts';
import { ParamsLayout, type ScalarType } from '../gpu/params.ts';
import { typedArrays, type CpuCompileOptions, type CpuOp, type HostArray, type KernelDef, type ReplicaRange } from '../run/kernel-def.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { Stream } from '../rng/counter-rng.ts';
import {
  muxHiddenForwardCpu,
  muxOutputPartialCpu,
  muxParamUpdateCpu,
  muxRewardSumCpu,
  muxSgdScatterCpu,
  muxSoftmaxCpu,
  muxUnitRewardCpu,
  outputChunking,
  SCATTER_MAX_UNITS,
  type KernelForms,
  type MuxForwardLayout,
  type MuxLayerShape,
  type MuxOutputLayout,
  type MuxParamUpdateLayout,
  type MuxRewardSumLayout,
  type MuxSgdScatterLayout,
  type MuxUnitRewardLayout,
  type UnitRewardMode,
} from './chung-cpu.ts';

export { outputChunking, SCATTER_MAX_UNITS, type KernelForms, type UnitRewardMode } from './chung-cpu.ts';

type Values<F extends Record<string, ScalarType>> = { [K in keyof F]: number };

/** The parity suites (test/parity/suites.ts, test/parity/chung-parity.ts) that check these kernels. */
export const CHUNG_MUX_PARITY = {
  forward: 'chung-mux hidden-forward (dense)',
  output: 'chung-mux softmax-output (dense)',
  reward: 'chung-mux unit-reward (sparse)',
  update: 'chung-mux param-update (dense)',
  scatterSgd: 'chung-mux whole step x40 (sparse, weightmax, SGD layer, scatter)',
} as const;

/** Whether a layout's forms resolve to the hardware ones on this context. */
export function hardwareForms(ctx: GpuContext | undefined, forms: KernelForms): boolean {
  return forms === 'hardware' || (forms === 'auto' && Boolean(ctx?.hardwareAdapter));
}

/** Slices of the fan-in in the split forward (hardware form): a workgroup of 256 = 32 units x 8. */
export const FORWARD_SLICES = 8;
/** Invocations per unit in the grouped dense Weight Max gather (hardware form). */
export const GATHER_GROUP = 64;
/** Layers with fewer (replica, unit) threads than this update one thread per parameter (the output). */
export const PER_PARAM_BELOW = 64;

/** One dispatch of a params kernel: the uniform's values, override constants, invocations and workgroup. */
interface Dispatch<F extends Record<string, ScalarType>> {
  values: Values<F>;
  overrides?: Record<string, number>;
  invocations: number;
  workgroup?: number;
}

/** A registered k-major kernel: its dispatch depends on the layout and on the forms the context resolves. */
function muxKernelDef<L, F extends Record<string, ScalarType>>(s: {
  wgsl: string;
  params: ParamsLayout<F>;
  bindings: readonly string[];
  parity: string;
  dispatch(l: L, hardware: boolean): Dispatch<F>;
  forms?(l: L): KernelForms;
  cpu(l: L, b: Readonly<Record<string, HostArray>>, range?: ReplicaRange, o?: CpuCompileOptions): CpuOp;
  cpuThreads?(l: L): boolean;
}): KernelDef<L> {
  const dispatch = (l: L, ctx: GpuContext) => s.dispatch(l, hardwareForms(ctx, s.forms?.(l) ?? 'plain'));
  return paramsKernelDef<L, F>({
    ...s,
    values: (l, ctx) => dispatch(l, ctx).values,
    overrides: (l, ctx) => dispatch(l, ctx).overrides ?? {},
    invocations: (l, ctx) => dispatch(l, ctx).invocations,
    workgroup: (l, ctx) => dispatch(l, ctx).workgroup ?? DEFAULT_WORKGROUP,
  });
}

/**
 * The head of a hidden layer's forward params (chung-hidden-forward here, chung-ac-hidden in
 * chung-ac.ts): its size, input width, and where its units' RNG agents start.
 */
export const HIDDEN_PARAMS_HEAD = { replicas: 'u32', units: 'u32', fanIn: 'u32', inDim: 'u32', agentStride: 'u32', agentOffset: 'u32', seed: 'u32' } as const;

/** The values of HIDDEN_PARAMS_HEAD for one hidden layer. */
export function hiddenHeadValues(l: { shape: MuxLayerShape; agentStride: number; seed: number }): Values<typeof HIDDEN_PARAMS_HEAD> {
  const s = l.shape;
  return { replicas: s.replicas, units: s.nOut, fanIn: s.fanIn, inDim: s.nIn, agentStride: l.agentStride, agentOffset: s.agentOffset, seed: l.seed };
}

export const FORWARD_PARAMS = new ParamsLayout('ChungForwardParams', { ...HIDDEN_PARAMS_HEAD, stream: 'u32', temp: 'f32' });

/**
 * chung-hidden-forward: a Bernoulli-logistic hidden layer and its REINFORCE characteristic. Hardware
 * form (`split`): each unit's sum cut into FORWARD_SLICES interleaved slices summed by 8 invocations.
 */
export const CHUNG_HIDDEN_FORWARD = muxKernelDef<MuxForwardLayout, typeof FORWARD_PARAMS.fields>({
  wgsl: 'chung-hidden-forward',
  params: FORWARD_PARAMS,
  bindings: ['theta', 'pre', 'clock', 'x', 'mean', 'values', 'charac'],
  parity: CHUNG_MUX_PARITY.forward,
  forms: (l) => l.forms,
  dispatch: (l, hw) => {
    const s = l.shape;
    return {
      values: { ...hiddenHeadValues(l), stream: Stream.spike, temp: s.temp },
      overrides: { SPARSE: s.sparse ? 1 : 0, SLICES: hw ? FORWARD_SLICES : 1 },
      invocations: hw ? s.replicas * Math.ceil(s.nOut / (256 / FORWARD_SLICES)) * 256 : s.replicas * s.nOut,
      workgroup: hw ? 256 : DEFAULT_WORKGROUP,
    };
  },
  cpu: (l, b) => muxHiddenForwardCpu(l, typedArrays(b)),
});

export const OUTPUT_PARTIAL_PARAMS = new ParamsLayout('OutputPartialParams', { replicas: 'u32', units: 'u32', fanIn: 'u32', chunks: 'u32', chunk: 'u32' });

/** chung-output-partial: the first pass of the softmax drive, per (replica, logit, chunk). */
export const CHUNG_OUTPUT_PARTIAL = muxKernelDef<MuxOutputLayout, typeof OUTPUT_PARTIAL_PARAMS.fields>({
  wgsl: 'chung-output-partial',
  params: OUTPUT_PARTIAL_PARAMS,
  bindings: ['theta', 'x', 'partial'],
  parity: CHUNG_MUX_PARITY.output,
  forms: (l) => l.forms,
  dispatch: (l, hw) => {
    const { chunk, chunks } = outputChunking(l.shape.fanIn, l.outputChunk, hw);
    return { values: { replicas: l.shape.replicas, units: l.shape.nOut, fanIn: l.shape.fanIn, chunks, chunk }, invocations: l.shape.replicas * l.shape.nOut * chunks };
  },
  cpu: (l, b) => muxOutputPartialCpu(l, typedArrays(b)),
});

export const SOFTMAX_PARAMS = new ParamsLayout('SoftmaxParams', {
  replicas: 'u32',
  actions: 'u32',
  fanIn: 'u32',
  chunks: 'u32',
  agentStride: 'u32',
  agentOffset: 'u32',
  seed: 'u32',
  stream: 'u32',
  actStride: 'u32',
  actOffset: 'u32',
  temp: 'f32',
});

/** chung-softmax-output: logits from the partials, the sampled action (as f32) into the env's action slot, one-hot values, the characteristic. */
export const CHUNG_SOFTMAX_OUTPUT = muxKernelDef<MuxOutputLayout, typeof SOFTMAX_PARAMS.fields>({
  wgsl: 'chung-softmax-output',
  params: SOFTMAX_PARAMS,
  bindings: ['theta', 'partial', 'clock', 'mean', 'values', 'act', 'charac'],
  parity: CHUNG_MUX_PARITY.output,
  forms: (l) => l.forms,
  dispatch: (l, hw) => {
    const s = l.shape;
    if (s.nVals < 2 || s.nVals > 16) throw new RangeError(`softmax actions must be in [2, 16], got ${s.nVals}`);
    const { chunks } = outputChunking(s.fanIn, l.outputChunk, hw);
    return {
      values: {
        replicas: s.replicas,
        actions: s.nVals,
        fanIn: s.fanIn,
        chunks,
        agentStride: l.agentStride,
        agentOffset: s.agentOffset,
        seed: l.seed >>> 0,
        stream: Stream.spike,
        actStride: l.act.stride,
        actOffset: l.act.offset,
        temp: s.temp,
      },
      invocations: s.replicas,
    };
  },
  cpu: (l, b) => muxSoftmaxCpu(l, typedArrays(b)),
});

export const UNIT_REWARD_PARAMS = new ParamsLayout('UnitRewardParams', { replicas: 'u32', units: 'u32', aboveUnits: 'u32', aboveFanIn: 'u32', chunks: 'u32', chunk: 'u32', p: 'f32' });
const REWARD_MODES: UnitRewardMode[] = ['broadcast', 'weightmax-dense', 'weightmax-sparse', 'weightmax-scatter'];

/**
 * chung-unit-reward: broadcast or the Weight Max gather. In 'weightmax-sparse' (CSR pieces) and
 * 'weightmax-scatter' (blocks of above units; `outSyn` holds the above layer's pre) modes `reward`
 * is the partials buffer that CHUNG_REWARD_SUM reduces. Hardware form: the dense gather grouped,
 * GATHER_GROUP invocations per unit.
 */
export const CHUNG_UNIT_REWARD = muxKernelDef<MuxUnitRewardLayout, typeof UNIT_REWARD_PARAMS.fields>({
  wgsl: 'chung-unit-reward',
  params: UNIT_REWARD_PARAMS,
  bindings: ['aboveTheta', 'aboveCharac', 'aboveReward', 'x', 'outStart', 'outSyn', 'signal', 'reward'],
  parity: CHUNG_MUX_PARITY.reward,
  forms: (l) => l.forms,
  dispatch: (l, hw) => {
    const grouped = hw && l.mode === 'weightmax-dense';
    const R = l.below.replicas,
      N = l.below.nOut;
    if (l.mode === 'weightmax-scatter' && N > SCATTER_MAX_UNITS) throw new RangeError(`weightmax-scatter serves layers of at most ${SCATTER_MAX_UNITS} units, got ${N}`);
    return {
      values: { replicas: R, units: N, aboveUnits: l.above?.nOut ?? 1, aboveFanIn: l.above?.fanIn ?? 0, chunks: l.chunks, chunk: l.chunk, p: l.p },
      overrides: { MODE: REWARD_MODES.indexOf(l.mode), GROUPED: grouped ? 1 : 0 },
      invocations: grouped ? R * N * GATHER_GROUP : l.mode === 'weightmax-scatter' ? R * l.chunks : R * N * (l.mode === 'weightmax-sparse' ? l.chunks : 1),
      workgroup: grouped ? GATHER_GROUP : DEFAULT_WORKGROUP,
    };
  },
  cpu: (l, b, _range, o) => muxUnitRewardCpu(l, typedArrays(b), o?.threads),
  // The scatter walk runs most of its tiles' first pass on a helper thread (chung-scatter-team.ts).
  cpuThreads: (l) => l.mode === 'weightmax-scatter',
});

export const REWARD_SUM_PARAMS = new ParamsLayout('RewardSumParams', { count: 'u32', chunks: 'u32', units: 'u32' });

/** chung-reward-sum: the second pass of the two-pass Weight Max gathers, partials -> reward in chunk order. */
export const CHUNG_REWARD_SUM = muxKernelDef<MuxRewardSumLayout, typeof REWARD_SUM_PARAMS.fields>({
  wgsl: 'chung-reward-sum',
  params: REWARD_SUM_PARAMS,
  bindings: ['partial', 'reward'],
  parity: CHUNG_MUX_PARITY.reward,
  dispatch: (l) => ({ values: { count: l.count, chunks: l.chunks, units: l.units }, overrides: { LAYOUT: l.layout === 'pieces' ? 0 : 1 }, invocations: l.count }),
  cpu: (l, b) => muxRewardSumCpu(l, typedArrays(b)),
});

export const SGD_SCATTER_PARAMS = new ParamsLayout('SgdScatterParams', { replicas: 'u32', units: 'u32', aboveUnits: 'u32', aboveFanIn: 'u32', chunks: 'u32', chunk: 'u32', p: 'f32', lr: 'f32' });

/**
 * chung-sgd-scatter: a sparse SGD layer's update fused with the Weight Max scatter gather of the
 * (<= 256-unit) layer below; `reward` is the block partials buffer CHUNG_REWARD_SUM ('blocks') reduces.
 */
export const CHUNG_SGD_SCATTER = muxKernelDef<MuxSgdScatterLayout, typeof SGD_SCATTER_PARAMS.fields>({
  wgsl: 'chung-sgd-scatter',
  params: SGD_SCATTER_PARAMS,
  bindings: ['aboveTheta', 'aboveCharac', 'aboveReward', 'x', 'pre', 'reward'],
  parity: CHUNG_MUX_PARITY.scatterSgd,
  dispatch: (l) => {
    if (l.below.nOut > SCATTER_MAX_UNITS) throw new RangeError(`chung-sgd-scatter serves layers of at most ${SCATTER_MAX_UNITS} units below, got ${l.below.nOut}`);
    return {
      values: { replicas: l.below.replicas, units: l.below.nOut, aboveUnits: l.above.nOut, aboveFanIn: l.above.fanIn, chunks: l.chunks, chunk: l.chunk, p: l.p, lr: l.lr },
      invocations: l.below.replicas * l.chunks,
    };
  },
  cpu: (l, b, _range, o) => muxSgdScatterCpu(l, typedArrays(b), o?.threads),
  cpuThreads: () => true,
});

export const PARAM_UPDATE_PARAMS = new ParamsLayout('ParamUpdateParams', {
  replicas: 'u32',
  units: 'u32',
  fanIn: 'u32',
  inDim: 'u32',
  corrSteps: 'u32',
  lr: 'f32',
  beta1: 'f32',
  beta2: 'f32',
  eps: 'f32',
});

/** chung-param-update: raw update + Adam (or SGD) of every parameter of a layer; one thread per unit, or per parameter (hardware form, and small layers). */
export const CHUNG_PARAM_UPDATE = muxKernelDef<MuxParamUpdateLayout, typeof PARAM_UPDATE_PARAMS.fields>({
  wgsl: 'chung-param-update',
  params: PARAM_UPDATE_PARAMS,
  bindings: ['theta', 'mv', 'pre', 'x', 'charac', 'reward', 'corr', 'clock'],
  parity: CHUNG_MUX_PARITY.update,
  forms: (l) => l.forms,
  dispatch: (l, hw) => {
    const s = l.shape;
    const perParam = hw || s.replicas * s.nOut < PER_PARAM_BELOW;
    return {
      values: { replicas: s.replicas, units: s.nOut, fanIn: s.fanIn, inDim: s.nIn, corrSteps: l.adam.biasCorrectionSteps, lr: l.lr, beta1: l.adam.beta1, beta2: l.adam.beta2, eps: l.adam.eps },
      overrides: { SPARSE: s.sparse ? 1 : 0, OPT: l.optimizer === 'adam' ? 0 : 1, PER_PARAM: perParam ? 1 : 0 },
      invocations: s.replicas * s.nOut * (perParam ? s.fanIn + 1 : 1),
    };
  },
  cpu: (l, b) => muxParamUpdateCpu(l, typedArrays(b)),
});

/** Every kernel of the k-major actor (registered: test/run/registry.test.ts finds them). */
export const CHUNG_MUX_KERNEL_DEFS = [CHUNG_HIDDEN_FORWARD, CHUNG_OUTPUT_PARTIAL, CHUNG_SOFTMAX_OUTPUT, CHUNG_UNIT_REWARD, CHUNG_REWARD_SUM, CHUNG_SGD_SCATTER, CHUNG_PARAM_UPDATE];
