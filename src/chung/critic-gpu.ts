/**
 * The Weight Maximization critic on WebGPU: the same forward / TD(lambda) backward / Adam sequence
 * as src/chung/critic.ts, as dispatches of shaders/chung-critic-{forward,backward,adam}.wgsl over
 * R replicas. Buffers mirror the CPU critic's arrays one for one (same layouts), so `upload` and
 * `download` copy a `Critic` in and out, and the parity suite compares them array by array.
 */
import type { GpuContext } from '../gpu/context.ts';
import { readF32 } from '../gpu/readback.ts';
import { ChungCriticAdamKernel, ChungCriticBackwardKernel, ChungCriticForwardKernel } from '../kernels/chung-critic.ts';
import { criticAdamScalars } from '../kernels/chung-critic-cpu.ts';
import type { AdamOptions } from './adam.ts';
import type { Critic } from './critic.ts';
import type { Layer } from './network.ts';

/** Per-layer arrays that live on the device (names as in `Layer`). */
export const CRITIC_LAYER_ARRAYS = ['w', 'b', 'eW', 'eB', 'mW', 'vW', 'mB', 'vB', 'pot', 'values', 'charac'] as const;
export type CriticLayerArray = (typeof CRITIC_LAYER_ARRAYS)[number];

interface LayerGpu {
  bufs: Record<CriticLayerArray, GPUBuffer>;
  forward: ChungCriticForwardKernel;
  backward: ChungCriticBackwardKernel;
  adamW: ChungCriticAdamKernel;
  adamB: ChungCriticAdamKernel;
  groups: { forward: GPUBindGroup; backward: GPUBindGroup; adamW: GPUBindGroup; adamB: GPUBindGroup };
}

export class GpuCritic {
  readonly replicas: number;
  readonly inDim: number;
  /** Observations [R * inDim] (write with writeObs, or copy into it). */
  readonly obs: GPUBuffer;
  /** TD errors [R]. */
  readonly delta: GPUBuffer;
  /** 1 where the replica's previous step ended an episode: its traces restart [R] (u32). */
  readonly mask: GPUBuffer;
  private readonly dummy: GPUBuffer;
  private readonly layers: LayerGpu[];

  constructor(
    private readonly ctx: GpuContext,
    /** A CPU critic giving the shapes (and, via upload, the initial state). */
    shape: Critic,
  ) {
    const net = shape.net;
    const R = (this.replicas = net.replicas);
    this.inDim = net.inDim;
    this.obs = ctx.createBuffer('chung-critic:obs', R * net.inDim * 4);
    this.delta = ctx.createBuffer('chung-critic:delta', R * 4);
    this.mask = ctx.createBuffer('chung-critic:mask', R * 4);
    this.dummy = ctx.createBuffer('chung-critic:dummy', 16);
    const Ls = net.layers;
    this.layers = Ls.map((L, l) => {
      if (L.preIdx !== null) throw new RangeError(`critic layer ${l} must be dense`);
      const bufs = Object.fromEntries(CRITIC_LAYER_ARRAYS.map((k) => [k, ctx.createBuffer(`chung-critic:${k}${l}`, Math.max(L[k].byteLength, 4))])) as Record<CriticLayerArray, GPUBuffer>;
      const shapeL = { replicas: R, nIn: L.nIn, nOut: L.nOut };
      const isOutput = l === Ls.length - 1;
      return {
        bufs,
        forward: new ChungCriticForwardKernel(ctx, { ...shapeL, softplus: L.kind === 'softplus' }),
        backward: new ChungCriticBackwardKernel(ctx, { ...shapeL, aboveOut: isOutput ? 0 : Ls[l + 1]!.nOut, isOutput }),
        adamW: new ChungCriticAdamKernel(ctx, { count: L.w.length, perReplica: L.nOut * L.nIn }),
        adamB: new ChungCriticAdamKernel(ctx, { count: L.b.length, perReplica: L.nOut }),
      } as LayerGpu;
    });
    this.layers.forEach((G, l) => {
      const x = l === 0 ? this.obs : this.layers[l - 1]!.bufs.values;
      const above = this.layers[l + 1];
      G.groups = {
        forward: G.forward.group({ x, w: G.bufs.w, b: G.bufs.b, pot: G.bufs.pot, values: G.bufs.values }),
        backward: G.backward.group({
          x,
          pot: G.bufs.pot,
          aboveCharac: above?.bufs.charac ?? this.dummy,
          aboveW: above?.bufs.w ?? this.dummy,
          mask: this.mask,
          charac: G.bufs.charac,
          eW: G.bufs.eW,
          eB: G.bufs.eB,
        }),
        adamW: G.adamW.group({ p: G.bufs.w, e: G.bufs.eW, m: G.bufs.mW, v: G.bufs.vW, delta: this.delta }),
        adamB: G.adamB.group({ p: G.bufs.b, e: G.bufs.eB, m: G.bufs.mB, v: G.bufs.vB, delta: this.delta }),
      };
    });
  }

  /** The buffer holding V(s) per replica after encodeForward (the output layer's values). */
  get value(): GPUBuffer {
    return this.layers[this.layers.length - 1]!.bufs.values;
  }

  /** Copies every device-side array of a CPU critic (same shapes) to the GPU. */
  upload(c: Critic): void {
    c.net.layers.forEach((L, l) => {
      for (const k of CRITIC_LAYER_ARRAYS) this.write(this.layers[l]!.bufs[k], L[k], L[k].length);
    });
  }

  /** Reads every device-side array back into a CPU critic of the same shape (and its `value`). */
  async download(c: Critic): Promise<void> {
    for (let l = 0; l < c.net.layers.length; l++) {
      const L: Layer = c.net.layers[l]!;
      for (const k of CRITIC_LAYER_ARRAYS) L[k].set(await readF32(this.ctx, this.layers[l]!.bufs[k], 0, L[k].length));
    }
    c.value.set(c.net.layers[c.net.layers.length - 1]!.values);
  }

  private write(dst: GPUBuffer, src: Float32Array | Uint32Array, count: number): void {
    this.ctx.device.queue.writeBuffer(dst, 0, src.buffer as ArrayBuffer, src.byteOffset, count * 4);
  }
  writeObs(obs: Float32Array): void {
    this.write(this.obs, obs, this.replicas * this.inDim);
  }
  writeDelta(delta: Float32Array): void {
    this.write(this.delta, delta, this.replicas);
  }
  writeMask(mask: Uint32Array): void {
    this.write(this.mask, mask, this.replicas);
  }

  /** V(obs) for every replica: one dispatch per layer, bottom up. */
  encodeForward(pass: GPUComputePassEncoder): void {
    for (const G of this.layers) G.forward.encode(pass, G.groups.forward);
  }

  /** Sets decay = lambda * gamma for the following encodeBackward calls of this submit. */
  setDecay(decay: number): void {
    for (const G of this.layers) G.backward.setDecay(decay);
  }

  /** grad V into the traces (restarted where mask[r] != 0): one dispatch per layer, top down. */
  encodeBackward(pass: GPUComputePassEncoder): void {
    for (let l = this.layers.length - 1; l >= 0; l--) this.layers[l]!.backward.encode(pass, this.layers[l]!.groups.backward);
  }

  /** Sets the per-layer learning rates and Adam step t for the following encodeLearn of this submit. */
  setLearn(lr: readonly number[], t: number, adam: AdamOptions): void {
    this.layers.forEach((G, l) => {
      const s = criticAdamScalars(lr[l]!, t, adam);
      G.adamW.setScalars(s);
      G.adamB.setScalars(s);
    });
  }

  /** TD(lambda) step u = e * delta[r] with Adam on every weight and bias array. */
  encodeLearn(pass: GPUComputePassEncoder): void {
    for (const G of this.layers) {
      G.adamW.encode(pass, G.groups.adamW);
      G.adamB.encode(pass, G.groups.adamB);
    }
  }

  destroy(): void {
    for (const G of this.layers) {
      for (const b of Object.values(G.bufs)) b.destroy();
      G.forward.destroy();
      G.backward.destroy();
      G.adamW.destroy();
      G.adamB.destroy();
    }
    for (const b of [this.obs, this.delta, this.mask, this.dummy]) b.destroy();
  }
}
