import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { HostArray, KernelDef, ReplicaRange } from '../run/kernel-def.ts';
import { ottAdamCpu, ottEpisodeEndCpu, ottForwardCpu, ottGradCpu, ottLayerFractionCpu, ottRecordCpu, ottReplicaStepCpu, ottReturnsCpu, ottRewardsCpu, ottStepBeginCpu } from './ott-cpu.ts';

/** The params struct every Ott kernel reads (shaders/ott-common.wgsl, `struct OttParams`). */
export const OTT_PARAMS = new ParamsLayout('OttParams', {
  replicas: 'u32',
  neurons: 'u32',
  signalSize: 'u32',
  numInputs: 'u32',
  layers: 'u32',
  fanInK: 'u32',
  fanOutK: 'u32',
  hidden: 'u32',
  paramsPerNeuron: 'u32',
  horizon: 'u32',
  nStart: 'u32',
  nEnd: 'u32',
  seed: 'u32',
  bioEpisodes: 'u32',
  solveWindow: 'u32',
  minEpisodes: 'u32',
  maxEpisodes: 'u32',
  stopWhenSolved: 'u32',
  logCap: 'u32',
  recWidth: 'u32',
  offFanInCount: 'u32',
  offLayerOf: 'u32',
  offFanOut: 'u32',
  offFanOutCount: 'u32',
  offLayerStart: 'u32',
  slope: 'f32',
  sparsityTarget: 'f32',
  gamma: 'f32',
  lr: 'f32',
  beta1: 'f32',
  beta2: 'f32',
  eps: 'f32',
  wTask: 'f32',
  wActivity: 'f32',
  wSparsity: 'f32',
  wPrediction: 'f32',
  wTrace: 'f32',
  solveThreshold: 'f32',
});
export type OttParamValues = { [K in keyof typeof OTT_PARAMS.fields]: number };

/**
 * The Ott kernels, their storage bindings (after the params uniform at binding 0) and what one
 * invocation covers. Every file includes shaders/ott-common.wgsl.
 */
export const OTT_KERNELS = {
  'ott-step-begin': { bindings: ['counters', 'obs', 'rs', 'signals'], per: 'replica' },
  'ott-mlp-forward': { bindings: ['wiring', 'rs', 'clock', 'theta', 'signals', 'probs'], per: 'layer-neuron' },
  'ott-logistic-forward': { bindings: ['wiring', 'rs', 'clock', 'theta', 'signals', 'probs'], per: 'layer-neuron' },
  'ott-record': { bindings: ['rs', 'signals', 'hist'], per: 'signal' },
  'ott-layer-fraction': { bindings: ['wiring', 'rs', 'signals', 'fractions'], per: 'replica' },
  'ott-rewards': { bindings: ['wiring', 'rs', 'signals', 'fractions', 'envReward', 'terms', 'rewardHist'], per: 'neuron' },
  'ott-replica-step': { bindings: ['counters', 'envReward', 'fractions', 'terms', 'rs', 'rf'], per: 'replica' },
  'ott-returns': { bindings: ['rs', 'rewardHist'], per: 'neuron' },
  'ott-mlp-grad': { bindings: ['wiring', 'rs', 'theta', 'hist', 'returns', 'grads'], per: 'neuron' },
  'ott-logistic-grad': { bindings: ['wiring', 'rs', 'theta', 'hist', 'returns', 'grads'], per: 'neuron' },
  'ott-adam': { bindings: ['rs', 'grads', 'theta', 'm', 'v'], per: 'neuron' },
  'ott-episode-end': { bindings: ['rs', 'rf', 'returnWindow', 'episodeLog'], per: 'replica' },
} as const;
export type OttKernelName = keyof typeof OTT_KERNELS;

/**
 * One Ott kernel (shaders/<name>.wgsl): bind groups are made once from named buffers in the
 * binding order of OTT_KERNELS, and `encode` dispatches one thread per replica, neuron, signal
 * or (replica, neuron of the layer) as the kernel's `per` says.
 */
export class OttKernel extends Kernel {
  constructor(
    ctx: GpuContext,
    readonly kernel: OttKernelName,
    readonly sizes: { replicas: number; neurons: number; signalSize: number; paramsPerNeuron: number },
  ) {
    super(ctx, kernel);
    OTT_PARAMS.checkAgainst(kernel);
  }

  group(params: ParamsBuffer<typeof OTT_PARAMS.fields>, buffers: Readonly<Record<string, GPUBuffer>>, label = 'main'): GPUBindGroup {
    const names = OTT_KERNELS[this.kernel].bindings;
    return this.bindGroup(label, [
      params.buffer,
      ...names.map((n) => {
        const b = buffers[n];
        if (!b) throw new Error(`${this.kernel}: no buffer named ${n}`);
        return b;
      }),
    ]);
  }

  /** Record one dispatch; `layerWidth` is the neuron count of the layer for the forward kernels. */
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup, layerWidth = 0): void {
    const { replicas: R, neurons: N, signalSize: S } = this.sizes;
    const per = OTT_KERNELS[this.kernel].per;
    const n = per === 'replica' ? R : per === 'neuron' ? R * N : per === 'signal' ? R * S : R * layerWidth;
    this.dispatch(pass, group, n);
  }
}

export function ottParamsBuffer(ctx: GpuContext, values: OttParamValues, label: string): ParamsBuffer<typeof OTT_PARAMS.fields> {
  const b = new ParamsBuffer(ctx.device, OTT_PARAMS, label);
  b.set(values);
  return b;
}

/**
 * An Ott kernel in the kernel registry: its layout is the `OttParams` values (a forward kernel's
 * nStart / nEnd pick its layer); the GPU form is OttKernel with its own params buffer, the CPU
 * twin the function in ott-cpu.ts over the named host arrays (for a replica range when given: the
 * CPU executor's workers split an Ott program's replicas, src/kernels/replica-split.ts).
 */
function ottKernelDef(name: OttKernelName, parity: string, cpu: (p: OttParamValues, b: Readonly<Record<string, HostArray>>, range?: ReplicaRange) => () => void): KernelDef<OttParamValues> {
  return {
    wgsl: name,
    uniform: true,
    bindings: OTT_KERNELS[name].bindings,
    parity,
    cpu,
    gpu: (ctx, p) => {
      const k = new OttKernel(ctx, name, { replicas: p.replicas, neurons: p.neurons, signalSize: p.signalSize, paramsPerNeuron: p.paramsPerNeuron });
      const params = ottParamsBuffer(ctx, p, `${name}:params`);
      return { group: (b, label) => k.group(params, b, label), encode: (pass, g) => k.encode(pass, g, p.nEnd - p.nStart), destroy: () => params.destroy() };
    },
  };
}

/** The parity suite (test/parity/suites.ts) that checks the state kernels and the episode log. */
const OTT_STEP_PARITY = 'ott step: state + episode log (mlp)';

export const OTT_STEP_BEGIN = ottKernelDef('ott-step-begin', OTT_STEP_PARITY, ottStepBeginCpu);
export const OTT_MLP_FORWARD = ottKernelDef('ott-mlp-forward', 'ott-mlp-forward (spike)', (p, b, r) => ottForwardCpu('mlp', p, b, r));
export const OTT_LOGISTIC_FORWARD = ottKernelDef('ott-logistic-forward', 'ott-logistic-forward (spike)', (p, b, r) => ottForwardCpu('logistic', p, b, r));
export const OTT_RECORD = ottKernelDef('ott-record', OTT_STEP_PARITY, ottRecordCpu);
export const OTT_LAYER_FRACTION = ottKernelDef('ott-layer-fraction', 'ott-layer-fraction + ott-rewards (mlp)', ottLayerFractionCpu);
export const OTT_REWARDS = ottKernelDef('ott-rewards', 'ott-layer-fraction + ott-rewards (mlp)', ottRewardsCpu);
export const OTT_REPLICA_STEP = ottKernelDef('ott-replica-step', OTT_STEP_PARITY, ottReplicaStepCpu);
export const OTT_RETURNS = ottKernelDef('ott-returns', 'ott-returns (mlp)', ottReturnsCpu);
export const OTT_MLP_GRAD = ottKernelDef('ott-mlp-grad', 'ott-mlp-grad (relative)', (p, b, r) => ottGradCpu('mlp', p, b, r));
export const OTT_LOGISTIC_GRAD = ottKernelDef('ott-logistic-grad', 'ott-logistic-grad (relative)', (p, b, r) => ottGradCpu('logistic', p, b, r));
export const OTT_ADAM_STEP = ottKernelDef('ott-adam', 'ott-adam (mlp)', ottAdamCpu);
export const OTT_EPISODE_END = ottKernelDef('ott-episode-end', OTT_STEP_PARITY, ottEpisodeEndCpu);

/** Every Ott kernel's registry entry, by WGSL name. */
export const OTT_KERNEL_DEFS: Readonly<Record<OttKernelName, KernelDef<OttParamValues>>> = {
  'ott-step-begin': OTT_STEP_BEGIN,
  'ott-mlp-forward': OTT_MLP_FORWARD,
  'ott-logistic-forward': OTT_LOGISTIC_FORWARD,
  'ott-record': OTT_RECORD,
  'ott-layer-fraction': OTT_LAYER_FRACTION,
  'ott-rewards': OTT_REWARDS,
  'ott-replica-step': OTT_REPLICA_STEP,
  'ott-returns': OTT_RETURNS,
  'ott-mlp-grad': OTT_MLP_GRAD,
  'ott-logistic-grad': OTT_LOGISTIC_GRAD,
  'ott-adam': OTT_ADAM_STEP,
  'ott-episode-end': OTT_EPISODE_END,
};
