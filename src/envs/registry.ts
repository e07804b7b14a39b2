import type { KernelDef } from '../run/kernel-def.ts';
import { CARTPOLE_STEP, type Slot } from './cartpole-gpu.ts';
import { CARTPOLE_V1 } from './cartpole-params.ts';

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

/** Registered environments, by the name experiment files use. Adding one is one line here. */
export const ENVS = {
  cartpole: {
    obsDim: 4,
    numActions: 2,
    maxEpisodeSteps: CARTPOLE_V1.maxEpisodeSteps,
    stateFloats: 4,
    kernel: CARTPOLE_STEP as KernelDef<EnvOpLayout>,
    layout: (numEnvs, seed, mode, act, obs) => ({ numEnvs, seed, mode, act, obs, params: CARTPOLE_V1 }),
  },
} satisfies Record<string, EnvDef>;

export type EnvName = keyof typeof ENVS;
export const ENV_NAMES = Object.keys(ENVS) as EnvName[];
