import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import type { Slot } from './cartpole-gpu.ts';
import { MountainCarCpu, type MountainCarParams } from './mountain-car.ts';

/** The kernel's params struct (checked against `struct MountainCarParams` in the WGSL). */
export const MOUNTAIN_CAR_PARAMS = new ParamsLayout('MountainCarParams', {
  numEnvs: 'u32',
  seed: 'u32',
  mode: 'u32',
  actStride: 'u32',
  actOffset: 'u32',
  obsStride: 'u32',
  obsOffset: 'u32',
  maxEpisodeSteps: 'u32',
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

/** mountain-car-step's layout in a step program: env count, params, reset seed, mode, and the act / obs slots. */
export interface MountainCarOpLayout {
  numEnvs: number;
  params: Readonly<MountainCarParams>;
  seed: number;
  /** 0: step (autoresetting envs that ended), 1: reset every env. */
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
}

/** The MountainCarParams struct's values for one layout. */
export function mountainCarParamValues(l: MountainCarOpLayout) {
  const p = l.params;
  return {
    numEnvs: l.numEnvs, seed: l.seed, mode: l.mode,
    actStride: l.act.stride, actOffset: l.act.offset, obsStride: l.obs.stride, obsOffset: l.obs.offset,
    maxEpisodeSteps: p.maxEpisodeSteps, minPosition: p.minPosition, maxPosition: p.maxPosition, maxSpeed: p.maxSpeed,
    goalPosition: p.goalPosition, goalVelocity: p.goalVelocity, force: p.force, gravity: p.gravity,
    resetLow: p.resetLow, resetHigh: p.resetHigh,
  };
}

/**
 * The action index the kernel reads from a float slot: `u32(clamp(round(x), 0, 2))`, WGSL's
 * `round` rounding halves to even (NaN, which WGSL leaves unspecified, reads as 0 here).
 */
export function mountainCarAction(x: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r > 0 ? Math.min(r, 2) : 0;
}

class MountainCarStepKernel extends Kernel {
  readonly paramsBuffer: ParamsBuffer<typeof MOUNTAIN_CAR_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly l: MountainCarOpLayout) {
    super(ctx, 'mountain-car-step');
    MOUNTAIN_CAR_PARAMS.checkAgainst('mountain-car-step');
    this.paramsBuffer = new ParamsBuffer(ctx.device, MOUNTAIN_CAR_PARAMS, 'mountain-car-step:params');
    this.paramsBuffer.set(mountainCarParamValues(l));
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.l.numEnvs);
  }
}

/**
 * mountain-car-step (shaders/mountain-car-step.wgsl) in the kernel registry: the env's state
 * ([position | velocity] x E), counters and reward are named buffers of the step program (laid out
 * as `EnvStore`); the action index is read from `actIn` as a float (see `mountainCarAction`) and
 * the observation (position, velocity) written to `obsOut`. The CPU twin is MountainCarCpu over
 * the same arrays.
 */
export const MOUNTAIN_CAR_STEP: KernelDef<MountainCarOpLayout> = {
  wgsl: 'mountain-car-step',
  uniform: true,
  bindings: ['state', 'counters', 'reward', 'actIn', 'obsOut'],
  parity: 'mountain-car-step',
  cpu: (l, b) => {
    const E = l.numEnvs;
    const env = new MountainCarCpu(E, l.params, { state: b.state as Float32Array, counters: b.counters as Uint32Array, reward: b.reward as Float32Array });
    env.seed = l.seed >>> 0;
    const actIn = b.actIn as Float32Array, obsOut = b.obsOut as Float32Array;
    const actions = new Uint8Array(E);
    return () => {
      if (l.mode === 1) env.reset(l.seed);
      else {
        for (let e = 0; e < E; e++) actions[e] = mountainCarAction(actIn[e * l.act.stride + l.act.offset]!);
        env.step(actions);
      }
      for (let e = 0; e < E; e++) {
        const o = e * l.obs.stride + l.obs.offset;
        obsOut[o] = env.position[e]!;
        obsOut[o + 1] = env.velocity[e]!;
      }
    };
  },
  gpu: (ctx, l) => {
    const k = new MountainCarStepKernel(ctx, l);
    return {
      group: (b, label) => k.bindGroup(label, [k.paramsBuffer.buffer, b.state!, b.counters!, b.reward!, b.actIn!, b.obsOut!]),
      encode: (pass, g) => k.encode(pass, g),
      destroy: () => k.paramsBuffer.destroy(),
    };
  },
};
