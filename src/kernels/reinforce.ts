import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { REWARD_COL_NONE, reinforceRecordCpu, reinforceUpdateCpu, type RecordLayout, type UpdateLayout } from './reinforce-cpu.ts';

export const RECORD_PARAMS = new ParamsLayout('RecordParams', { replicas: 'u32', actStride: 'u32', probStride: 'u32', horizon: 'u32', neuronRewards: 'u32' });

export const UPDATE_PARAMS = new ParamsLayout('UpdateParams', {
  replicas: 'u32', neurons: 'u32', fanIn: 'u32', horizon: 'u32', rowWidth: 'u32', inCol: 'u32', spikeCol: 'u32', probCol: 'u32',
  writeMetrics: 'u32', metricsCap: 'u32', gamma: 'f32', lr: 'f32', beta1: 'f32', beta2: 'f32', eps: 'f32', rewardCol: 'u32',
});

/** Appends each step to the replicas' episode trajectories (shaders/reinforce-record.wgsl). */
export class ReinforceRecordKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof RECORD_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly layout: RecordLayout) {
    super(ctx, 'reinforce-record');
    RECORD_PARAMS.checkAgainst('reinforce-record');
    this.params = new ParamsBuffer(ctx.device, RECORD_PARAMS, 'reinforce-record:params');
    this.params.set({ ...layout, neuronRewards: layout.neuronRewards ?? 0 });
  }
  /** `neuronReward`: the per-neuron learning rewards [R, P] with reward terms; any small buffer without. */
  group(b: { counters: GPUBuffer; act: GPUBuffer; prob: GPUBuffer; reward: GPUBuffer; traj: GPUBuffer; rewards: GPUBuffer; neuronReward: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.counters, b.act, b.prob, b.reward, b.traj, b.rewards, b.neuronReward]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.layout.replicas * (this.layout.actStride + this.layout.probStride + (this.layout.neuronRewards ?? 0)));
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** End-of-episode REINFORCE + Adam for one layer of logistic neuron-agents (shaders/reinforce-update.wgsl). */
export class ReinforceUpdateKernel extends Kernel {
  private readonly params: ParamsBuffer<typeof UPDATE_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly layout: UpdateLayout, readonly sparse = false) {
    super(ctx, 'reinforce-update', { SPARSE: sparse ? 1 : 0 });
    UPDATE_PARAMS.checkAgainst('reinforce-update');
    this.params = new ParamsBuffer(ctx.device, UPDATE_PARAMS, 'reinforce-update:params');
    this.params.set({ ...layout, rewardCol: layout.rewardCol ?? REWARD_COL_NONE });
  }
  /** `fanInIndex`: the layer's [K, N] index when sparse; any small buffer when dense. */
  group(b: { counters: GPUBuffer; traj: GPUBuffer; rewards: GPUBuffer; theta: GPUBuffer; adam: GPUBuffer; adamStep: GPUBuffer; metrics: GPUBuffer; fanInIndex: GPUBuffer }, label = 'main'): GPUBindGroup {
    return this.bindGroup(label, [this.params.buffer, b.counters, b.traj, b.rewards, b.theta, b.adam, b.adamStep, b.metrics, b.fanInIndex]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.layout.replicas * this.layout.neurons);
  }
  destroy(): void {
    this.params.destroy();
  }
}

/** reinforce-record in the kernel registry. */
export const REINFORCE_RECORD: KernelDef<RecordLayout> = {
  wgsl: 'reinforce-record',
  uniform: true,
  bindings: ['counters', 'act', 'prob', 'reward', 'traj', 'rewards', 'neuronReward'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  cpu: (l, b) => {
    const [counters, act, prob, reward, traj, rewards] = [b.counters as Uint32Array, b.act as Float32Array, b.prob as Float32Array, b.reward as Float32Array, b.traj as Float32Array, b.rewards as Float32Array];
    const neuronReward = l.neuronRewards ? (b.neuronReward as Float32Array) : null;
    return () => reinforceRecordCpu(l, counters, act, prob, reward, traj, rewards, neuronReward);
  },
  gpu: (ctx, l) => {
    const k = new ReinforceRecordKernel(ctx, l);
    return { group: (b, label) => k.group(b as Parameters<ReinforceRecordKernel['group']>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};

/** reinforce-update's layout in a step program: the layer, and whether it reads a fan-in index. */
export interface UpdateOpLayout {
  update: UpdateLayout;
  sparse: boolean;
}

/** reinforce-update in the kernel registry. */
export const REINFORCE_UPDATE: KernelDef<UpdateOpLayout> = {
  wgsl: 'reinforce-update',
  uniform: true,
  bindings: ['counters', 'traj', 'rewards', 'theta', 'adam', 'adamStep', 'metrics', 'fanInIndex'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  cpu: (l, b) => {
    const [counters, traj, rewards, theta, adam, adamStep, metrics] = [b.counters as Uint32Array, b.traj as Float32Array, b.rewards as Float32Array, b.theta as Float32Array, b.adam as Float32Array, b.adamStep as Uint32Array, b.metrics as Uint32Array];
    const index = l.sparse ? (b.fanInIndex as Uint32Array) : null;
    return () => reinforceUpdateCpu(l.update, counters, traj, rewards, theta, adam, adamStep, metrics, index);
  },
  gpu: (ctx, l) => {
    const k = new ReinforceUpdateKernel(ctx, l.update, l.sparse);
    return { group: (b, label) => k.group(b as Parameters<ReinforceUpdateKernel['group']>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
  },
};
