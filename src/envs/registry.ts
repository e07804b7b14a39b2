import type { KernelDef } from '../run/kernel-def.ts';
import { LUNAR_LANDER_ENV, LUNAR_LANDER_STEP } from './lunar-lander-op.ts';
import type { Binding, BufferDecl, Op } from '../run/program.ts';
import { ACROBOT_STEP } from './acrobot-gpu.ts';
import { ACROBOT_NUM_ACTIONS, ACROBOT_OBS_DIM, ACROBOT_V1 } from './acrobot-params.ts';
import { CARTPOLE_STEP } from './cartpole-gpu.ts';
import type { EnvKernelLayout, Slot } from './env-kernel.ts';
import { CARTPOLE_V1 } from './cartpole-params.ts';
import { MOUNTAIN_CAR_STEP } from './mountain-car-gpu.ts';
import { MOUNTAIN_CAR_V0 } from './mountain-car.ts';
import { multiplexerEnv } from './multiplexer-gpu.ts';
import { CHEMOTAXIS_ACT_SLOTS, CHEMOTAXIS_OBS_DIM, CHEMOTAXIS_STATE_FLOATS, chemotaxisParams } from './chemotaxis.ts';
import { CHEMOTAXIS_STEP } from './chemotaxis-gpu.ts';

/**
 * A batched environment as a step program uses it: its sizes, and the registered kernel (GPU form +
 * CPU twin) that steps or resets every env, reading actions from one slot of a float row buffer and
 * writing observations into another. Its state lives in the program's buffers `env.state`
 * (`stateLength` floats), `env.counters` ([steps | episodes | autoresetPending | terminated |
 * truncated] x E) and `env.reward` (E), so checkpoints and the NaN guard see it like any other.
 */
export interface EnvDef {
  /** Numbers per observation row. */
  obsDim: number;
  /** Discrete actions 0 .. numActions - 1 (the action slot holds the index as a float). */
  numActions: number;
  /**
   * Consecutive act slots the env reads, each a binary action (a spike); absent: 1. Chemotaxis
   * reads 12 motor neurons' spikes (numActions 2 per slot).
   */
  actionSlots?: number;
  /** The longest episode (trajectory buffers are sized by it). */
  maxEpisodeSteps: number;
  /** Floats of env state per env. */
  stateFloats: number;
  kernel: KernelDef<EnvOpLayout>;
  /** The kernel's layout for `numEnvs` envs. */
  layout(numEnvs: number, seed: number, mode: 0 | 1, act: Slot, obs: Slot): EnvOpLayout;
}

/** Every env kernel's layout starts with these. */
export interface EnvOpLayout {
  numEnvs: number;
  seed: number;
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
}

/**
 * An env whose kernel (envKernelDef) takes the shared layout head and the env's constants `params`:
 * its sizes, and the longest episode (default the params' own).
 */
function paramsEnv<P extends { maxEpisodeSteps: number }>(
  kernel: KernelDef<EnvKernelLayout<P>>,
  params: P,
  sizes: { obsDim: number; numActions: number; stateFloats: number; actionSlots?: number },
  maxEpisodeSteps = params.maxEpisodeSteps,
): EnvDef {
  return { ...sizes, maxEpisodeSteps, kernel: kernel as KernelDef<EnvOpLayout>, layout: (numEnvs, seed, mode, act, obs) => ({ numEnvs, seed, mode, act, obs, params }) };
}

/** Registered environments, by the name experiment files use. Adding one is one line here. */
export const ENVS = {
  cartpole: paramsEnv(CARTPOLE_STEP, CARTPOLE_V1, { obsDim: 4, numActions: 2, stateFloats: 4 }),
  'mountain-car': paramsEnv(MOUNTAIN_CAR_STEP, MOUNTAIN_CAR_V0, { obsDim: 2, numActions: 3, stateFloats: 2 }),
  acrobot: paramsEnv(ACROBOT_STEP, ACROBOT_V1, { obsDim: ACROBOT_OBS_DIM, numActions: ACROBOT_NUM_ACTIONS, stateFloats: 4 }),
  // Box2D on planck, on the CPU for both backends; WebGPU populations reach it through the bridge.
  'lunar-lander': { ...LUNAR_LANDER_ENV, kernel: LUNAR_LANDER_STEP as KernelDef<EnvOpLayout>, layout: (numEnvs, seed, mode, act, obs) => ({ numEnvs, seed, mode, act, obs }) },
  // The Boolean multiplexer as a contextual bandit (one-step episodes, reward +1 / -1, the next
  // input drawn in the same step): the paper's 20-bit one, and the k + 2^k-bit ones for k = 1..6.
  multiplexer: multiplexerEnv(4),
  'multiplexer-3': multiplexerEnv(1),
  'multiplexer-6': multiplexerEnv(2),
  'multiplexer-11': multiplexerEnv(3),
  'multiplexer-37': multiplexerEnv(5),
  'multiplexer-70': multiplexerEnv(6),
  // A point worm on a salt gradient, steered by 12 motor neurons' spikes (docs/worm.md).
  chemotaxis: chemotaxisEnv(1),
} satisfies Record<string, EnvDef>;

/** Chemotaxis with `ticks` network updates (env steps) per move of the worm (`env.ticks`, docs/worm.md). */
export function chemotaxisEnv(ticks: number): EnvDef {
  const params = chemotaxisParams(ticks);
  const sizes = { obsDim: CHEMOTAXIS_OBS_DIM, numActions: 2, actionSlots: CHEMOTAXIS_ACT_SLOTS, stateFloats: CHEMOTAXIS_STATE_FLOATS };
  return paramsEnv(CHEMOTAXIS_STEP, params, sizes, params.maxEpisodeSteps * ticks);
}

export type EnvName = keyof typeof ENVS;
/** Every env name an experiment file may give as `env.name`. */
export const ENV_NAMES = Object.keys(ENVS) as EnvName[];

/** Where an env reads its actions and writes its observations in a step program. */
export interface EnvWiring {
  /** The float buffer(s) holding the action of the step (a pair alternates with the step parity). */
  act: Binding;
  actSlot: Slot;
  /** The float buffer(s) the next observation goes to. */
  obs: Binding;
  obsSlot: Slot;
  /** Where a fresh start writes the first observation (what step 0 reads). */
  resetObs: string;
}

/**
 * The env's buffers (`env.state`, `env.counters`, `env.reward`) and its step and reset ops for R
 * replicas, one env each.
 */
export function envOps(env: EnvDef, R: number, seed: number, w: EnvWiring): { buffers: BufferDecl[]; step: Op; reset: Op } {
  const buffers: BufferDecl[] = [
    { name: 'env.state', type: 'f32', length: env.stateFloats * R },
    { name: 'env.counters', type: 'u32', length: 5 * R },
    { name: 'env.reward', type: 'f32', length: R },
  ];
  const bind = (act: Binding, obs: Binding) => ({ state: 'env.state', counters: 'env.counters', reward: 'env.reward', actIn: act, obsOut: obs });
  const step: Op = { kernel: env.kernel, layout: env.layout(R, seed, 0, w.actSlot, w.obsSlot), bind: bind(w.act, w.obs) };
  // A reset reads no action, but WebGPU forbids one buffer bound read-only and writable in one
  // dispatch: bind the action from a buffer other than the one the observation goes to.
  const resetAct = typeof w.act === 'string' ? w.act : w.act[0] === w.resetObs ? w.act[1] : w.act[0];
  const reset: Op = { kernel: env.kernel, layout: env.layout(R, seed, 1, w.actSlot, w.obsSlot), bind: bind(resetAct, w.resetObs) };
  return { buffers, step, reset };
}
