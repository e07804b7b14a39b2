import type { GpuContext } from '../gpu/context.ts';
import { ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { CartPoleCpu } from './cartpole.ts';
import { CARTPOLE_V1, type CartPoleParams } from './cartpole-params.ts';
import { ENV_PARAMS_HEAD, envKernelDef, HostEnvGpu, type EnvKernelLayout, type EnvKernelSpec, type EnvState, type Slot } from './env-kernel.ts';
import { checkActions } from './env-types.ts';

export type { Slot, StridedSlot } from './env-kernel.ts';

export const CARTPOLE_PARAMS = new ParamsLayout('CartPoleParams', {
  ...ENV_PARAMS_HEAD,
  gravity: 'f32',
  massCart: 'f32',
  massPole: 'f32',
  length: 'f32',
  forceMag: 'f32',
  tau: 'f32',
  thetaThreshold: 'f32',
  xThreshold: 'f32',
  resetBound: 'f32',
});

/** The CartPoleParams struct's values for one binding: `mode` 0 steps, 1 resets every env. */
export function cartpoleParamValues(p: CartPoleParams, numEnvs: number, seed: number, mode: number, act: Slot, obs: Slot) {
  return {
    numEnvs,
    seed,
    mode,
    actStride: act.stride,
    actOffset: act.offset,
    obsStride: obs.stride,
    obsOffset: obs.offset,
    maxEpisodeSteps: p.maxEpisodeSteps,
    gravity: p.gravity,
    massCart: p.massCart,
    massPole: p.massPole,
    length: p.length,
    forceMag: p.forceMag,
    tau: p.tau,
    thetaThreshold: p.thetaThresholdRadians,
    xThreshold: p.xThreshold,
    resetBound: p.resetBound,
  };
}

/** cartpole-step's layout in a step program. */
export type CartPoleOpLayout = EnvKernelLayout<CartPoleParams>;

const SPEC: EnvKernelSpec<CartPoleParams, typeof CARTPOLE_PARAMS.fields> = {
  wgsl: 'cartpole-step',
  paramsLayout: CARTPOLE_PARAMS,
  values: (l) => cartpoleParamValues(l.params, l.numEnvs, l.seed, l.mode, l.act, l.obs),
  twin: (E, params, store) => new CartPoleCpu(E, params, store),
  // The kernel pushes right when the slot holds more than 0.5.
  action: (x) => (x > 0.5 ? 1 : 0),
  parity: 'cartpole-reinforce step (spike, env, record, update)',
};

/**
 * cartpole-step in the kernel registry: the env's state, counters and reward are named buffers of
 * the step program (laid out as `EnvStore`); actions are read from `actIn` (> 0.5 pushes right)
 * and observations written to `obsOut`. The CPU twin is CartPoleCpu over the same arrays.
 */
export const CARTPOLE_STEP: KernelDef<CartPoleOpLayout> = envKernelDef(SPEC);

/** What `readState` returns: the SoA state and flags of every env. */
export type CartPoleState = EnvState<'x' | 'xDot' | 'theta' | 'thetaDot'>;

/**
 * Batched CartPole-v1 on the GPU (shaders/cartpole-step.wgsl), host-driven: `reset(seed)` /
 * `step(actions)` / `readState()` / `setState(rows)`. CPU twin: CartPoleCpu, same semantics and
 * the same reset draws.
 */
export class CartPoleGpu extends HostEnvGpu<CartPoleParams, typeof CARTPOLE_PARAMS.fields, 'x' | 'xDot' | 'theta' | 'thetaDot'> {
  constructor(ctx: GpuContext, numEnvs: number, params: CartPoleParams = CARTPOLE_V1) {
    super(ctx, SPEC, numEnvs, params, ['x', 'xDot', 'theta', 'thetaDot'], 4, checkActions);
  }
}
