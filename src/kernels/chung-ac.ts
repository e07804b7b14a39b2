/**
 * Chung's episodic actor-critic (Weight Max family on CartPole / Acrobot) in the kernel registry:
 * the actor's hidden and softmax layers, its eligibility traces (and the shifted form's delay
 * lines), the per-unit signals (broadcast TD error, the Weight Max gather, the STE / backprop
 * gather), the clocked Adam step of actor and critic arrays, the TD error and the episode
 * bookkeeping. One WGSL file each (shaders/chung-ac-*.wgsl); CPU twins in chung-ac-cpu.ts call the
 * CPU reference of src/chung. Layouts are the CPU reference's `Layer` layout (src/chung/network.ts):
 * incoming-major weights w[(r * N + j) * F + q], biases after them. The rule that composes these
 * into a step program is src/rules/weight-max.ts.
 */
import { ParamsLayout } from '../gpu/params.ts';
import { typedArrays } from '../run/kernel-def.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { HIDDEN_PARAMS_HEAD, hiddenHeadValues } from './chung.ts';
import {
  acAdamCpu,
  acDelayCpu,
  acEpisodeCpu,
  acGatherCpu,
  acHiddenCpu,
  acSoftmaxCpu,
  acTdCpu,
  acTraceCpu,
  type AcAdamLayout,
  type AcDelayLayout,
  type AcEpisodeLayout,
  type AcGatherLayout,
  type AcHiddenLayout,
  type AcSoftmaxLayout,
  type AcTdLayout,
  type AcTraceLayout,
} from './chung-ac-cpu.ts';

/** The parity suites (test/parity/suites.ts) that check these kernels. */
export const CHUNG_AC_PARITY = {
  step: 'chung-ac step x30 (cartpole, weightmax + traces)',
  ste: 'chung-ac step x30 (cartpole, ste + traces, sparse fan-in)',
  shifted: 'chung-ac step x30 (cartpole, weightmax + shifted traces)',
  lunar: 'chung-ac step x30 (lunar-lander, weightmax + traces, f64 returns)',
} as const;

// The twins take the host arrays by binding name.

export const AC_HIDDEN_PARAMS = new ParamsLayout('AcHiddenParams', { ...HIDDEN_PARAMS_HEAD, relu: 'u32', exploreProb: 'f32', temp: 'f32' });

/** chung-ac-hidden: one hidden layer's forward pass (Bernoulli-logistic, Thomas, or ReLU) and its REINFORCE characteristic. */
export const CHUNG_AC_HIDDEN = paramsKernelDef<AcHiddenLayout, typeof AC_HIDDEN_PARAMS.fields>({
  wgsl: 'chung-ac-hidden',
  params: AC_HIDDEN_PARAMS,
  bindings: ['theta', 'pre', 'clock', 'x', 'pot', 'mean', 'values', 'charac'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => ({
    ...hiddenHeadValues(l),
    relu: l.shape.kind === 'relu' ? 1 : 0,
    exploreProb: Math.min(1, l.exploreProb),
    temp: l.shape.temp,
  }),
  overrides: (l) => ({ SPARSE: l.shape.sparse ? 1 : 0 }),
  invocations: (l) => l.shape.replicas * l.shape.nOut,
  cpu: (l, b) => acHiddenCpu(l, typedArrays(b)),
});

export const AC_SOFTMAX_PARAMS = new ParamsLayout('AcSoftmaxParams', {
  replicas: 'u32',
  actions: 'u32',
  fanIn: 'u32',
  inDim: 'u32',
  agentStride: 'u32',
  agentOffset: 'u32',
  seed: 'u32',
  actStride: 'u32',
  actOffset: 'u32',
  temp: 'f32',
});

/** Most actions the softmax kernel serves (MAX_ACTIONS in the WGSL). */
export const AC_MAX_ACTIONS = 16;

/** chung-ac-softmax: the output layer, the sampled action into the env's action slot, the output's characteristic. */
export const CHUNG_AC_SOFTMAX = paramsKernelDef<AcSoftmaxLayout, typeof AC_SOFTMAX_PARAMS.fields>({
  wgsl: 'chung-ac-softmax',
  params: AC_SOFTMAX_PARAMS,
  bindings: ['theta', 'clock', 'x', 'pot', 'mean', 'values', 'act', 'charac'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => {
    if (l.shape.nVals < 2 || l.shape.nVals > AC_MAX_ACTIONS) throw new RangeError(`the softmax output serves 2 to ${AC_MAX_ACTIONS} actions, got ${l.shape.nVals}`);
    if (l.shape.sparse) throw new RangeError('the softmax output layer is dense');
    return {
      replicas: l.shape.replicas,
      actions: l.shape.nVals,
      fanIn: l.shape.fanIn,
      inDim: l.shape.nIn,
      agentStride: l.agentStride,
      agentOffset: l.shape.agentOffset,
      seed: l.seed,
      actStride: l.act.stride,
      actOffset: l.act.offset,
      temp: l.shape.temp,
    };
  },
  invocations: (l) => l.shape.replicas,
  cpu: (l, b) => acSoftmaxCpu(l, typedArrays(b)),
});

export const AC_TRACE_PARAMS = new ParamsLayout('AcTraceParams', { replicas: 'u32', units: 'u32', fanIn: 'u32', inDim: 'u32', delay: 'u32', decay: 'f32', scale: 'f32' });

/** chung-ac-trace: a layer's eligibility traces, restarted for replicas whose previous step ended an episode. */
export const CHUNG_AC_TRACE = paramsKernelDef<AcTraceLayout, typeof AC_TRACE_PARAMS.fields>({
  wgsl: 'chung-ac-trace',
  params: AC_TRACE_PARAMS,
  bindings: ['x', 'mask', 'pre', 'charac', 'clock', 'e'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => ({ replicas: l.shape.replicas, units: l.shape.nOut, fanIn: l.shape.fanIn, inDim: l.shape.nIn, delay: Math.max(1, l.delay), decay: l.decay, scale: l.scale }),
  overrides: (l) => ({ SPARSE: l.shape.sparse ? 1 : 0, SHIFTED: l.delay > 0 ? 1 : 0 }),
  invocations: (l) => l.shape.replicas * l.shape.nOut,
  cpu: (l, b) => acTraceCpu(l, typedArrays(b)),
});

export const AC_DELAY_PARAMS = new ParamsLayout('AcDelayParams', { replicas: 'u32', units: 'u32', inDim: 'u32', delay: 'u32' });

/** chung-ac-delay: the shifted traces' delay line of one layer takes this step's (input, charac). */
export const CHUNG_AC_DELAY = paramsKernelDef<AcDelayLayout, typeof AC_DELAY_PARAMS.fields>({
  wgsl: 'chung-ac-delay',
  params: AC_DELAY_PARAMS,
  bindings: ['x', 'charac', 'mask', 'clock', 'line'],
  parity: CHUNG_AC_PARITY.shifted,
  values: (l) => ({ replicas: l.shape.replicas, units: l.shape.nOut, inDim: l.shape.nIn, delay: l.delay }),
  invocations: (l) => l.shape.replicas * (l.shape.nIn + l.shape.nOut),
  cpu: (l, b) => acDelayCpu(l, typedArrays(b)),
});

export const AC_GATHER_PARAMS = new ParamsLayout('AcGatherParams', { replicas: 'u32', units: 'u32', aboveUnits: 'u32', aboveFanIn: 'u32', p: 'f32' });
const GATHER_MODES = ['broadcast', 'weightmax', 'backprop'] as const;

/** chung-ac-gather: a layer's per-unit signal: the broadcast TD error, the Weight Max reward, or the backprop characteristic. */
export const CHUNG_AC_GATHER = paramsKernelDef<AcGatherLayout, typeof AC_GATHER_PARAMS.fields>({
  wgsl: 'chung-ac-gather',
  params: AC_GATHER_PARAMS,
  bindings: ['aboveTheta', 'aboveU', 'aboveCharac', 'outStart', 'outSyn', 'pot', 'signal', 'out'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => ({ replicas: l.below.replicas, units: l.below.nOut, aboveUnits: l.above.nOut, aboveFanIn: l.above.fanIn, p: l.p }),
  overrides: (l) => ({ MODE: GATHER_MODES.indexOf(l.mode), SPARSE: l.mode !== 'broadcast' && l.above.sparse ? 1 : 0, RELU: l.below.kind === 'relu' ? 1 : 0 }),
  invocations: (l) => l.below.replicas * l.below.nOut,
  cpu: (l, b) => acGatherCpu(l, typedArrays(b)),
});

export const AC_ADAM_PARAMS = new ParamsLayout('AcAdamParams', {
  count: 'u32',
  nW: 'u32',
  divW: 'u32',
  divB: 'u32',
  corrSteps: 'u32',
  endT: 'u32',
  lrStart: 'f32',
  lrEnd: 'f32',
  beta1: 'f32',
  beta2: 'f32',
  oneMinusBeta1: 'f32',
  oneMinusBeta2: 'f32',
  eps: 'f32',
  decayC: 'f32',
  decayP: 'f32',
  tOffset: 'u32',
});

/** chung-ac-adam: one clocked Adam ascent step of an actor layer's [w | b] (raw update stored) or of one critic array. */
export const CHUNG_AC_ADAM = paramsKernelDef<AcAdamLayout, typeof AC_ADAM_PARAMS.fields>({
  wgsl: 'chung-ac-adam',
  params: AC_ADAM_PARAMS,
  bindings: ['theta', 'e', 'm', 'v', 'u', 'sig', 'corr', 'clock'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => ({
    count: l.count,
    nW: l.nW,
    divW: l.divW,
    divB: l.divB,
    corrSteps: l.adam.biasCorrectionSteps,
    endT: l.endT,
    lrStart: l.lrStart,
    lrEnd: l.lrEnd,
    beta1: l.adam.beta1,
    beta2: l.adam.beta2,
    oneMinusBeta1: 1 - l.adam.beta1,
    oneMinusBeta2: 1 - l.adam.beta2,
    eps: l.adam.eps,
    decayC: l.decayC,
    decayP: l.decayP,
    tOffset: l.tOffset ?? 0,
  }),
  overrides: (l) => ({ STORE_U: l.form === 'actor' ? 1 : 0, DECAY: l.form === 'actor' && l.decayC > 0 ? 1 : 0 }),
  invocations: (l) => l.count,
  cpu: (l, b) => acAdamCpu(l, typedArrays(b)),
});

export const AC_TD_PARAMS = new ParamsLayout('AcTdParams', { replicas: 'u32', gamma: 'f32' });

/** chung-ac-td: the TD error every learner of the step reads, and valueOld for the next step. */
export const CHUNG_AC_TD = paramsKernelDef<AcTdLayout, typeof AC_TD_PARAMS.fields>({
  wgsl: 'chung-ac-td',
  params: AC_TD_PARAMS,
  bindings: ['reward', 'value', 'flags', 'clock', 'valueOld', 'delta'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => ({ replicas: l.replicas, gamma: l.gamma }),
  invocations: (l) => l.replicas,
  cpu: (l, b) => acTdCpu(l, typedArrays(b)),
});

export const AC_EPISODE_PARAMS = new ParamsLayout('AcEpisodeParams', { replicas: 'u32', cap: 'u32', bandit: 'u32' });

/** chung-ac-episode: end-of-episode flags, returns and lengths, and the episode log. */
export const CHUNG_AC_EPISODE = paramsKernelDef<AcEpisodeLayout, typeof AC_EPISODE_PARAMS.fields>({
  wgsl: 'chung-ac-episode',
  params: AC_EPISODE_PARAMS,
  bindings: ['counters', 'reward', 'clock', 'flags', 'epReturn', 'epLength', 'metrics'],
  parity: CHUNG_AC_PARITY.step,
  values: (l) => ({ replicas: l.replicas, cap: l.cap, bandit: l.bandit ? 1 : 0 }),
  invocations: (l) => l.replicas,
  cpu: (l, b) => acEpisodeCpu(l, typedArrays(b)),
});
