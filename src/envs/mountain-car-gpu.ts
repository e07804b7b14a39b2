import type { KernelDef } from '../run/kernel-def.ts';
import { ParamsLayout } from '../gpu/params.ts';
import { ENV_PARAMS_HEAD, envKernelDef, roundedAction, envHeadValues, type EnvKernelLayout } from './env-kernel.ts';
import { MountainCarCpu, MOUNTAIN_CAR_NUM_ACTIONS, type MountainCarParams } from './mountain-car.ts';

/** The kernel's params struct (checked against `struct MountainCarParams` in the WGSL). */
export const MOUNTAIN_CAR_PARAMS = new ParamsLayout('MountainCarParams', {
  ...ENV_PARAMS_HEAD,
  minPosition: 'f32',
  maxPosition: 'f32',
  maxSpeed: 'f32',
  goalPosition: 'f32',
  goalVelocity: 'f32',
  force: 'f32',
  gravity: 'f32',
  resetLow: 'f32',
  resetHigh: 'f32',
});

/** mountain-car-step's layout in a step program. */
export type MountainCarOpLayout = EnvKernelLayout<Readonly<MountainCarParams>>;

/** The MountainCarParams struct's values for one layout. */
export function mountainCarParamValues(l: MountainCarOpLayout) {
  const p = l.params;
  return {
    ...envHeadValues(l),
    maxEpisodeSteps: p.maxEpisodeSteps,
    minPosition: p.minPosition,
    maxPosition: p.maxPosition,
    maxSpeed: p.maxSpeed,
    goalPosition: p.goalPosition,
    goalVelocity: p.goalVelocity,
    force: p.force,
    gravity: p.gravity,
    resetLow: p.resetLow,
    resetHigh: p.resetHigh,
  };
}

/** The action index the kernel reads from a float slot (`u32(clamp(round(x), 0, 2))`). */
export const mountainCarAction = (x: number): number => roundedAction(x, MOUNTAIN_CAR_NUM_ACTIONS);

/**
 * mountain-car-step in the kernel registry: the env's state, counters and reward are named buffers
 * of the step program; the action index is read from `actIn` (rounded, clamped to 0..2) and
 * (position, velocity) written to `obsOut`. The CPU twin is MountainCarCpu over the same arrays.
 */
export const MOUNTAIN_CAR_STEP: KernelDef<MountainCarOpLayout> = envKernelDef({
  wgsl: 'mountain-car-step',
  paramsLayout: MOUNTAIN_CAR_PARAMS,
  values: mountainCarParamValues,
  twin: (E, params, store) => new MountainCarCpu(E, params, store),
  action: mountainCarAction,
  parity: 'mountain-car-step',
});
