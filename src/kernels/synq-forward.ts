import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { Activation } from '../synq/mlp.ts';

export const SYNQ_FORWARD_PARAMS = new ParamsLayout('SynqForwardParams', {
  replicas: 'u32',
  batch: 'u32',
  inDim: 'u32',
  outDim: 'u32',
  synapses: 'u32',
  wOffset: 'u32',
});

const ACT_CODE: Record<Activation, number> = { identity: 0, tanh: 1, relu: 2 };

/** Shape of one dense layer over R replicas x B samples. */
export interface SynqForwardLayout {
  replicas: number;
  batch: number;
  inDim: number;
  outDim: number;
  /** Synapses per replica (the weight stride). */
  synapses: number;
  /** Start of this layer's block in one replica's weights. */
  wOffset: number;
}

/** Buffers of `synq-forward`. */
export interface SynqForwardBuffers {
  weights: GPUBuffer;
  input: GPUBuffer;
  /** Sample index per (r, b) when gathering; any small buffer otherwise. */
  idx: GPUBuffer;
  output: GPUBuffer;
}

/** One dense layer of the trained MLP over the minibatch (shaders/synq-forward.wgsl). */
export class SynqForwardKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof SYNQ_FORWARD_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly layout: SynqForwardLayout, act: Activation, gather: boolean) {
    super(ctx, 'synq-forward', { ACT: ACT_CODE[act], GATHER: gather ? 1 : 0 });
    SYNQ_FORWARD_PARAMS.checkAgainst('synq-forward');
    const { replicas: R, batch: B, outDim: O, synapses: N } = layout;
    if (R * B * O >= 2 ** 32 || R * N >= 2 ** 32) throw new RangeError('synq-forward: replicas * batch * outDim and replicas * synapses must be < 2^32');
    this.params = new ParamsBuffer(ctx.device, SYNQ_FORWARD_PARAMS, 'synq-forward:params');
    this.params.set(layout);
  }
  group(b: SynqForwardBuffers, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.weights, b.input, b.idx, b.output]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    const { replicas, batch, outDim } = this.layout;
    this.dispatch(pass, group, replicas * batch * outDim);
  }
  destroy(): void {
    this.params.destroy();
  }
}
