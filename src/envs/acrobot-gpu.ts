import type { GpuContext } from '../gpu/context.ts';
import { ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { AcrobotCpu, acrobotConsts } from './acrobot.ts';
import { ACROBOT_NUM_ACTIONS, ACROBOT_OBS_DIM, ACROBOT_V1, type AcrobotParams } from './acrobot-params.ts';
import { ENV_PARAMS_HEAD, envHeadValues, envKernelDef, HostEnvGpu, roundedAction, type EnvKernelLayout, type EnvKernelSpec, type EnvState } from './env-kernel.ts';
import { checkDiscreteActions } from './env-types.ts';

/** The kernel's params: the link parameters arrive folded by `acrobotConsts`, as the twin uses them. */
export const ACROBOT_PARAMS = new ParamsLayout('AcrobotStepParams', {
  ...ENV_PARAMS_HEAD,
  torque0: 'f32',
  torque1: 'f32',
  torque2: 'f32',
  d1c: 'f32',
  d2c: 'f32',
  b: 'f32',
  twoB: 'f32',
  phi2c: 'f32',
  phi1c: 'f32',
  halfPi: 'f32',
  pi: 'f32',
  twoPi: 'f32',
  dt: 'f32',
  halfDt: 'f32',
  sixthDt: 'f32',
  maxVel1: 'f32',
  maxVel2: 'f32',
  resetBound: 'f32',
});

/** acrobot-step's layout in a step program. */
export type AcrobotOpLayout = EnvKernelLayout<Readonly<AcrobotParams>>;

/** The AcrobotStepParams struct's values for one layout. */
export function acrobotParamValues(l: AcrobotOpLayout) {
  const p = l.params,
    c = acrobotConsts(p);
  return {
    ...envHeadValues(l),
    maxEpisodeSteps: p.maxEpisodeSteps,
    torque0: p.availTorque[0]!,
    torque1: p.availTorque[1]!,
    torque2: p.availTorque[2]!,
    d1c: c.d1c,
    d2c: c.d2c,
    b: c.b,
    twoB: c.twoB,
    phi2c: c.phi2c,
    phi1c: c.phi1c,
    halfPi: c.halfPi,
    pi: c.pi,
    twoPi: c.twoPi,
    dt: c.dt,
    halfDt: c.halfDt,
    sixthDt: c.sixthDt,
    maxVel1: c.maxVel1,
    maxVel2: c.maxVel2,
    resetBound: p.resetBound,
  };
}

const SPEC: EnvKernelSpec<Readonly<AcrobotParams>, typeof ACROBOT_PARAMS.fields> = {
  wgsl: 'acrobot-step',
  paramsLayout: ACROBOT_PARAMS,
  values: (l) => {
    if (l.params.availTorque.length !== ACROBOT_NUM_ACTIONS) throw new RangeError(`params.availTorque must hold ${ACROBOT_NUM_ACTIONS} torques, got ${l.params.availTorque.length}`);
    return acrobotParamValues(l);
  },
  twin: (E, params, store) => new AcrobotCpu(E, params, store),
  action: (x) => roundedAction(x, ACROBOT_NUM_ACTIONS),
  parity: 'acrobot-step',
};

/**
 * acrobot-step in the kernel registry: the env's state, counters and reward are named buffers of the
 * step program (laid out as `EnvStore`); the action index is read from `actIn` as a float (rounded
 * and clamped to 0..2) and the observation (cos t1, sin t1, cos t2, sin t2, dt1, dt2) written to
 * `obsOut`. The CPU twin is AcrobotCpu over the same arrays.
 */
export const ACROBOT_STEP: KernelDef<AcrobotOpLayout> = envKernelDef(SPEC);

/** What `readState` returns: the SoA state and flags of every env. */
export type AcrobotState = EnvState<'theta1' | 'theta2' | 'dtheta1' | 'dtheta2'>;

/**
 * Batched Acrobot-v1 on the GPU (shaders/acrobot-step.wgsl), host-driven: `reset(seed)` /
 * `step(actions)` (0, 1 or 2 each) / `readState()` / `setState(rows of (t1, t2, dt1, dt2))`.
 * CPU twin: AcrobotCpu, same semantics, constants and reset draws.
 */
export class AcrobotGpu extends HostEnvGpu<Readonly<AcrobotParams>, typeof ACROBOT_PARAMS.fields, 'theta1' | 'theta2' | 'dtheta1' | 'dtheta2'> {
  readonly numActions = ACROBOT_NUM_ACTIONS;
  constructor(ctx: GpuContext, numEnvs: number, params: Readonly<AcrobotParams> = ACROBOT_V1) {
    if (params.availTorque.length !== ACROBOT_NUM_ACTIONS) throw new RangeError(`params.availTorque must hold ${ACROBOT_NUM_ACTIONS} torques, got ${params.availTorque.length}`);
    super(ctx, SPEC, numEnvs, params, ['theta1', 'theta2', 'dtheta1', 'dtheta2'], ACROBOT_OBS_DIM, (a, n) => checkDiscreteActions(a, n, ACROBOT_NUM_ACTIONS));
  }
}
