/**
 * Kernels of the full-batch gradient-descent baseline on WebGPU (Bhargava et al. Table 1's GD
 * rows): the cross-entropy gradient at the logits (gd-ce-delta), back-propagation through a
 * hidden layer (gd-hidden-delta) and each weight's summed gradient and step (gd-weight-step). The
 * forward pass is synq-forward (or its tiled form). CPU twin: src/synq/gradient.ts + train-gd.ts.
 */
import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { Activation } from '../synq/mlp.ts';
import type { SynqForwardLayout } from './synq-forward.ts';
import { lossStride } from './synq-sample-loss.ts';

const ACT_CODE: Record<Activation, number> = { identity: 0, tanh: 1, relu: 2 };

export const GD_DELTA_PARAMS = new ParamsLayout('GdDeltaParams', { replicas: 'u32', batch: 'u32', outDim: 'u32', stride: 'u32' });

/** Per-sample softmax cross-entropy and its logit gradient (shaders/gd-ce-delta.wgsl). */
export class GdCeDeltaKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof GD_DELTA_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly replicas: number, readonly batch: number, outDim: number) {
    super(ctx, 'gd-ce-delta');
    GD_DELTA_PARAMS.checkAgainst('gd-ce-delta');
    this.params = new ParamsBuffer(ctx.device, GD_DELTA_PARAMS, 'gd-ce-delta:params');
    this.params.set({ replicas, batch, outDim, stride: lossStride(batch) });
  }
  group(b: { outputs: GPUBuffer; labels: GPUBuffer; idx: GPUBuffer; perSample: GPUBuffer; delta: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.outputs, b.labels, b.idx, b.perSample, b.delta]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.replicas * this.batch);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** One dense layer's shape: the forward kernel's (the MLP layout of src/synq/mlp.ts). */
export type GdLayer = SynqForwardLayout;

export const GD_HIDDEN_PARAMS = new ParamsLayout('GdHiddenParams', { replicas: 'u32', batch: 'u32', inDim: 'u32', outDim: 'u32', synapses: 'u32', wOffset: 'u32' });

/** Back-propagation of layer l + 1's pre-activation gradient to layer l's (shaders/gd-hidden-delta.wgsl). */
export class GdHiddenDeltaKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof GD_HIDDEN_PARAMS.fields>;
  /** `layer`: the layer above (its inDim = the hidden width, outDim = its units); `act`: the hidden activation. */
  constructor(ctx: GpuContext, readonly layer: GdLayer, act: Activation) {
    super(ctx, 'gd-hidden-delta', { ACT: ACT_CODE[act] });
    GD_HIDDEN_PARAMS.checkAgainst('gd-hidden-delta');
    this.params = new ParamsBuffer(ctx.device, GD_HIDDEN_PARAMS, 'gd-hidden-delta:params');
    this.params.set(layer);
  }
  group(b: { weights: GPUBuffer; acts: GPUBuffer; delta: GPUBuffer; prev: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.weights, b.acts, b.delta, b.prev]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    const { replicas, batch, inDim } = this.layer;
    this.dispatch(pass, group, replicas * batch * inDim);
  }
  destroy(): void {
    this.params.destroy();
  }
}

export const GD_STEP_PARAMS = new ParamsLayout('GdStepParams', { replicas: 'u32', batch: 'u32', inDim: 'u32', outDim: 'u32', synapses: 'u32', wOffset: 'u32', scale: 'f32' });

/** Full-batch gradient of every weight of a layer and its step w -= lr / B * g (shaders/gd-weight-step.wgsl). */
export class GdWeightStepKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof GD_STEP_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly layer: GdLayer, learningRate: number, gather: boolean) {
    super(ctx, 'gd-weight-step', { GATHER: gather ? 1 : 0 });
    GD_STEP_PARAMS.checkAgainst('gd-weight-step');
    this.params = new ParamsBuffer(ctx.device, GD_STEP_PARAMS, 'gd-weight-step:params');
    this.params.set({ ...layer, scale: Math.fround(learningRate / layer.batch) });
  }
  group(b: { weights: GPUBuffer; input: GPUBuffer; idx: GPUBuffer; delta: GPUBuffer }): GPUBindGroup {
    return this.bindGroup('main', [this.params.buffer, b.weights, b.input, b.idx, b.delta]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    const { replicas, inDim, outDim } = this.layer;
    this.dispatch(pass, group, replicas * outDim * (inDim + 1));
  }
  destroy(): void {
    this.params.destroy();
  }
}
