import type { FanIn } from '../connectivity/fan-in.ts';
import type { GpuContext } from '../gpu/context.ts';
import { readF32 } from '../gpu/readback.ts';
import { joinKMajor, planShards, sliceKMajor, type Shard } from '../gpu/shard.ts';
import type { SpikeLayout } from './spike-sample-cpu.ts';
import { SpikeSampleKernel } from './spike-sample.ts';

/**
 * A spike-sampling layer of any size: its neurons are split into shards whose theta [R, K+1, n]
 * and fan-in index [K, n] each fit under the context's buffer cap. A shard is the same kernel
 * with outputs, probabilities and RNG agent ids offset by its first neuron, so the results are
 * bit-identical to one unsharded dispatch (test/gpu/sharding.test.ts checks that).
 */
export class ShardedSpikeLayer {
  readonly shards: Shard[];
  readonly kernels: SpikeSampleKernel[];
  readonly theta: GPUBuffer[];
  readonly index: GPUBuffer[];

  constructor(
    private readonly ctx: GpuContext,
    readonly layout: SpikeLayout,
    fanIn: FanIn | null,
    theta: Float32Array,
  ) {
    const { replicas: R, neurons: N, fanIn: K } = layout;
    if (theta.length !== R * (K + 1) * N) throw new RangeError(`theta must have length replicas * (fanIn + 1) * neurons = ${R * (K + 1) * N}, got ${theta.length}`);
    if (fanIn && (fanIn.neurons !== N || fanIn.fanIn !== K)) throw new RangeError(`fan-in is ${fanIn.fanIn} x ${fanIn.neurons}, layer is ${K} x ${N}`);
    const bytesPerNeuron = Math.max(R * (K + 1) * 4, fanIn ? K * 4 : 0);
    this.shards = planShards(N, bytesPerNeuron, ctx.maxBufferBytes, 64);
    this.kernels = [];
    this.theta = [];
    this.index = [];
    for (const s of this.shards) {
      const sub: SpikeLayout = { ...layout, neurons: s.count, outOffset: layout.outOffset + s.start, probOffset: layout.probOffset + s.start, agentOffset: layout.agentOffset + s.start };
      this.kernels.push(new SpikeSampleKernel(ctx, sub, fanIn !== null));
      this.theta.push(ctx.createBufferFrom(`theta[${s.start}+${s.count}]`, sliceKMajor(theta, R, K + 1, N, s)));
      this.index.push(fanIn ? ctx.createBufferFrom(`fan-in[${s.start}+${s.count}]`, sliceKMajor(fanIn.index, 1, K, N, s)) : ctx.createBuffer('dense', 16));
    }
  }

  /** One bind group per shard over the shared activity, probability and clock buffers. */
  groups(b: { act: GPUBuffer; prob: GPUBuffer; clock: GPUBuffer }, label = 'main'): GPUBindGroup[] {
    return this.kernels.map((k, i) => k.group({ theta: this.theta[i]!, fanInIndex: this.index[i]!, clock: b.clock, act: b.act, prob: b.prob }, label));
  }

  encode(pass: GPUComputePassEncoder, groups: GPUBindGroup[]): void {
    this.kernels.forEach((k, i) => k.encode(pass, groups[i]!));
  }

  /** The whole theta [R, K+1, N], joined from the shards. */
  async readTheta(): Promise<Float32Array> {
    const { replicas: R, neurons: N, fanIn: K } = this.layout;
    const full = new Float32Array(R * (K + 1) * N);
    for (let i = 0; i < this.shards.length; i++) joinKMajor(full, await readF32(this.ctx, this.theta[i]!), R, K + 1, N, this.shards[i]!);
    return full;
  }

  destroy(): void {
    for (const k of this.kernels) k.destroy();
    for (const b of [...this.theta, ...this.index]) b.destroy();
  }
}
