import { CartPoleGpu } from '../../envs/cartpole-gpu.ts';
import type { GpuContext } from '../../gpu/context.ts';
import { readF32, readU32 } from '../../gpu/readback.ts';
import { DeviceClock } from '../../kernels/clock.ts';
import { ReinforceRecordKernel, ReinforceUpdateKernel } from '../../kernels/reinforce.ts';
import { SpikeSampleKernel } from '../../kernels/spike-sample.ts';
import type { CartpoleReinforceConfig } from './config.ts';
import { HORIZON, METRICS_CAP, cartpoleNetwork, initTheta, type CartpoleNetwork } from './network.ts';

/**
 * The training step on the GPU: per env step, spike layers -> CartPole -> record -> per-layer
 * REINFORCE update -> clock tick, all recorded into one compute pass; many steps per submit and no
 * readback inside. Activity rows ping-pong between two buffers (the env writes the next
 * observation into the other one), so each step's bind groups are fixed: two sets, built once.
 */
export class CartpoleReinforceGpuRunner {
  readonly net: CartpoleNetwork;
  readonly env: CartPoleGpu;
  readonly clock: DeviceClock;
  readonly metrics: GPUBuffer;
  readonly theta: GPUBuffer[];
  private readonly owned: GPUBuffer[] = [];
  private readonly destroyables: { destroy(): void }[] = [];
  private readonly steps: ((pass: GPUComputePassEncoder) => void)[];
  private readonly resetPass: (pass: GPUComputePassEncoder) => void;
  private parity = 0;
  /** Env steps recorded so far (the device clock mirrors it). */
  stepCount = 0;

  constructor(
    readonly ctx: GpuContext,
    readonly config: CartpoleReinforceConfig,
  ) {
    const net = (this.net = cartpoleNetwork(config));
    const { R, S, P, W, layers, actionCol } = net;
    const buf = (label: string, bytes: number) => {
      const b = ctx.createBuffer(label, bytes);
      this.owned.push(b);
      return b;
    };
    const from = (label: string, data: ArrayBufferView) => {
      const b = ctx.createBufferFrom(label, data);
      this.owned.push(b);
      return b;
    };
    this.env = new CartPoleGpu(ctx, R);
    this.clock = new DeviceClock(ctx, 0);
    this.destroyables.push(this.env, this.clock);
    const act = [buf('act-a', R * S * 4), buf('act-b', R * S * 4)] as const;
    const prob = buf('prob', R * P * 4);
    const traj = buf('traj', R * HORIZON * W * 4);
    const rewards = buf('episode-rewards', R * HORIZON * 4);
    this.metrics = buf('episode-log', (R + R * METRICS_CAP) * 4);
    const dummyIndex = buf('dense-fan-in', 16);
    this.theta = layers.map((l, i) => from(`theta-${i}`, initTheta(config.seed, i, R, l.spike.fanIn, l.spike.neurons)));
    const adam = layers.map((l, i) => buf(`adam-${i}`, 2 * R * (l.spike.fanIn + 1) * l.spike.neurons * 4));
    const adamStep = layers.map((l, i) => buf(`adam-step-${i}`, R * l.spike.neurons * 4));

    const spike = layers.map((l) => new SpikeSampleKernel(ctx, l.spike, false));
    const record = new ReinforceRecordKernel(ctx, net.record);
    const update = layers.map((l) => new ReinforceUpdateKernel(ctx, l.update));
    this.destroyables.push(...spike, record, ...update);
    const envBind = [0, 1].map((p) => this.env.binding({ buffer: act[p]!, stride: S, offset: actionCol }, { buffer: act[1 - p]!, stride: S, offset: 0 }));
    const updateGroups = update.map((u, i) =>
      u.group({ counters: this.env.counters, traj, rewards, theta: this.theta[i]!, adam: adam[i]!, adamStep: adamStep[i]!, metrics: this.metrics }),
    );
    this.steps = [0, 1].map((p) => {
      const spikeGroups = spike.map((k, i) => k.group({ theta: this.theta[i]!, fanInIndex: dummyIndex, clock: this.clock.buffer, act: act[p]!, prob }, `p${p}`));
      const recordGroup = record.group({ counters: this.env.counters, act: act[p]!, prob, reward: this.env.reward, traj, rewards }, `p${p}`);
      return (pass: GPUComputePassEncoder) => {
        spike.forEach((k, i) => k.encode(pass, spikeGroups[i]!));
        this.env.encodeStep(pass, envBind[p]!);
        record.encode(pass, recordGroup);
        update.forEach((u, i) => u.encode(pass, updateGroups[i]!));
        this.clock.encodeTick(pass);
      };
    });
    this.env.setSeed(config.seed);
    // Reset writes the first observations where step 0 reads them: activity buffer A.
    this.resetPass = (pass) => this.env.encodeReset(pass, envBind[1]!);
  }

  /** Record the initial reset (call once, first). */
  encodeReset(pass: GPUComputePassEncoder): void {
    this.resetPass(pass);
  }

  /** Record n env steps into the pass. */
  encodeSteps(pass: GPUComputePassEncoder, n: number): void {
    for (let s = 0; s < n; s++) {
      this.steps[this.parity]!(pass);
      this.parity = 1 - this.parity;
    }
    this.stepCount += n;
  }

  /** One-shot reads for tests. */
  async readTheta(layer: number): Promise<Float32Array> {
    return readF32(this.ctx, this.theta[layer]!);
  }
  async readMetrics(): Promise<Uint32Array> {
    return readU32(this.ctx, this.metrics);
  }

  destroy(): void {
    for (const d of this.destroyables) d.destroy();
    for (const b of this.owned) b.destroy();
  }
}
