import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';

/** The params struct every Ott kernel reads (shaders/ott-common.wgsl, `struct OttParams`). */
export const OTT_PARAMS = new ParamsLayout('OttParams', {
  replicas: 'u32', neurons: 'u32', signalSize: 'u32', numInputs: 'u32', layers: 'u32', fanInK: 'u32', fanOutK: 'u32',
  hidden: 'u32', paramsPerNeuron: 'u32', horizon: 'u32', nStart: 'u32', nEnd: 'u32', seed: 'u32', bioEpisodes: 'u32',
  solveWindow: 'u32', minEpisodes: 'u32', maxEpisodes: 'u32', stopWhenSolved: 'u32', logCap: 'u32', recWidth: 'u32',
  offFanInCount: 'u32', offLayerOf: 'u32', offFanOut: 'u32', offFanOutCount: 'u32', offLayerStart: 'u32',
  slope: 'f32', sparsityTarget: 'f32', gamma: 'f32', lr: 'f32', beta1: 'f32', beta2: 'f32', eps: 'f32',
  wTask: 'f32', wActivity: 'f32', wSparsity: 'f32', wPrediction: 'f32', wTrace: 'f32', solveThreshold: 'f32',
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
  'ott-episode-end': { bindings: ['rs', 'rf', 'window', 'log'], per: 'replica' },
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

  group(params: ParamsBuffer<typeof OTT_PARAMS.fields>, buffers: Record<string, GPUBuffer>, label = 'main'): GPUBindGroup {
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
