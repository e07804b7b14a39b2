import { ParamsLayout } from '../gpu/params.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { REWARD_COL_NONE, reinforceRecordCpu, reinforceUpdateCpu, reinforceWeightMaxCpu, type RecordLayout, type UpdateLayout, type WeightMaxLayout } from './reinforce-cpu.ts';

export const RECORD_PARAMS = new ParamsLayout('RecordParams', { replicas: 'u32', actStride: 'u32', probStride: 'u32', horizon: 'u32', neuronRewards: 'u32' });

/** The head both end-of-episode kernels share: the layer and where its columns are in a trajectory slot. */
const LAYER_HEAD = { replicas: 'u32', neurons: 'u32', fanIn: 'u32', horizon: 'u32', rowWidth: 'u32', inCol: 'u32' } as const;

export const UPDATE_PARAMS = new ParamsLayout('UpdateParams', {
  ...LAYER_HEAD,
  spikeCol: 'u32',
  probCol: 'u32',
  writeMetrics: 'u32',
  metricsCap: 'u32',
  gamma: 'f32',
  lr: 'f32',
  beta1: 'f32',
  beta2: 'f32',
  eps: 'f32',
  rewardCol: 'u32',
  direct: 'u32',
});

export const WM_PARAMS = new ParamsLayout('WmParams', {
  ...LAYER_HEAD,
  recCol: 'u32',
  spikeCol: 'u32',
  probCol: 'u32',
  rewardCol: 'u32',
  motors: 'u32',
  gamma: 'f32',
});

/** The most motor outputs reinforce-weight-max holds (its per-motor statistics live in private arrays). */
export const WM_MAX_MOTORS = 64;

/**
 * reinforce-record in the kernel registry: appends each step to the replicas' episode trajectories
 * (`neuronReward`: the per-neuron learning rewards [R, P] with reward terms; any small buffer without).
 */
export const REINFORCE_RECORD = paramsKernelDef<RecordLayout, typeof RECORD_PARAMS.fields>({
  wgsl: 'reinforce-record',
  params: RECORD_PARAMS,
  bindings: ['counters', 'act', 'prob', 'reward', 'traj', 'rewards', 'neuronReward'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  values: (l) => ({ ...l, neuronRewards: l.neuronRewards ?? 0 }),
  invocations: (l) => l.replicas * (l.actStride + l.probStride + (l.neuronRewards ?? 0)),
  cpu: (l, b) => {
    const [counters, act, prob, reward, traj, rewards] = [
      b.counters as Uint32Array,
      b.act as Float32Array,
      b.prob as Float32Array,
      b.reward as Float32Array,
      b.traj as Float32Array,
      b.rewards as Float32Array,
    ];
    const neuronReward = l.neuronRewards ? (b.neuronReward as Float32Array) : null;
    return () => reinforceRecordCpu(l, counters, act, prob, reward, traj, rewards, neuronReward);
  },
});

/** reinforce-update's layout in a step program: the layer, and whether it reads a fan-in index. */
export interface UpdateOpLayout {
  update: UpdateLayout;
  sparse: boolean;
}

/**
 * reinforce-update in the kernel registry: end-of-episode REINFORCE + Adam for one layer of logistic
 * neuron-agents (`fanInIndex`: the layer's [K, N] index when sparse; any small buffer when dense).
 */
export const REINFORCE_UPDATE = paramsKernelDef<UpdateOpLayout, typeof UPDATE_PARAMS.fields>({
  wgsl: 'reinforce-update',
  params: UPDATE_PARAMS,
  bindings: ['counters', 'traj', 'rewards', 'theta', 'adam', 'adamStep', 'metrics', 'fanInIndex'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  values: (l) => ({ ...l.update, rewardCol: l.update.rewardCol ?? REWARD_COL_NONE, direct: l.update.direct ?? 0 }),
  overrides: (l) => ({ SPARSE: l.sparse ? 1 : 0 }),
  invocations: (l) => l.update.replicas * l.update.neurons,
  cpu: (l, b) => {
    const [counters, traj, rewards, theta, adam, adamStep, metrics] = [
      b.counters as Uint32Array,
      b.traj as Float32Array,
      b.rewards as Float32Array,
      b.theta as Float32Array,
      b.adam as Float32Array,
      b.adamStep as Uint32Array,
      b.metrics as Uint32Array,
    ];
    const index = l.sparse ? (b.fanInIndex as Uint32Array) : null;
    return () => reinforceUpdateCpu(l.update, counters, traj, rewards, theta, adam, adamStep, metrics, index);
  },
});

/**
 * reinforce-weight-max in the kernel registry: Weight Max through time on a recurrent layer at each
 * replica's episode end; it rewrites the trajectory's learning-reward column into each step's
 * A_t (s_t - p_t), which reinforce-update then reads in direct mode (shaders/reinforce-weight-max.wgsl).
 */
export const REINFORCE_WEIGHT_MAX = paramsKernelDef<WeightMaxLayout, typeof WM_PARAMS.fields>({
  wgsl: 'reinforce-weight-max',
  params: WM_PARAMS,
  bindings: ['counters', 'traj', 'theta', 'outStart', 'outSyn'],
  parity: 'chemotaxis connectome step, Weight Max through time (record, reinforce-weight-max, direct update)',
  values: (l) => {
    if (l.motors > WM_MAX_MOTORS) throw new RangeError(`reinforce-weight-max holds at most ${WM_MAX_MOTORS} motor outputs, got ${l.motors}`);
    return l;
  },
  invocations: (l) => l.replicas,
  cpu: (l, b) => {
    const [counters, traj, theta, outStart, outSyn] = [b.counters as Uint32Array, b.traj as Float32Array, b.theta as Float32Array, b.outStart as Uint32Array, b.outSyn as Uint32Array];
    return () => reinforceWeightMaxCpu(l, counters, traj, theta, outStart, outSyn);
  },
});
