import type { GpuContext } from '../gpu/context.ts';
import { Kernel, runPass } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { readF32, readU32 } from '../gpu/readback.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { AcrobotCpu, acrobotConsts } from './acrobot.ts';
import { ACROBOT_NUM_ACTIONS, ACROBOT_OBS_DIM, ACROBOT_V1, type AcrobotParams } from './acrobot-params.ts';
import type { Slot, StridedSlot } from './cartpole-gpu.ts';
import { checkDiscreteActions, checkNumEnvs } from './env-types.ts';

/** The kernel's params: the link parameters arrive folded by `acrobotConsts`, as the twin uses them. */
export const ACROBOT_PARAMS = new ParamsLayout('AcrobotStepParams', {
  numEnvs: 'u32',
  seed: 'u32',
  mode: 'u32',
  actStride: 'u32',
  actOffset: 'u32',
  obsStride: 'u32',
  obsOffset: 'u32',
  maxEpisodeSteps: 'u32',
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

/** One way of wiring the env into a pipeline: where actions come from and observations go. */
export interface AcrobotBinding {
  step: GPUBindGroup;
  reset: GPUBindGroup;
  stepParams: ParamsBuffer<typeof ACROBOT_PARAMS.fields>;
  resetParams: ParamsBuffer<typeof ACROBOT_PARAMS.fields>;
  act: StridedSlot;
  obs: StridedSlot;
}

/** What `readState` returns: the SoA state and flags of every env. */
export interface AcrobotState {
  theta1: Float32Array;
  theta2: Float32Array;
  dtheta1: Float32Array;
  dtheta2: Float32Array;
  steps: Uint32Array;
  episodes: Uint32Array;
  autoresetPending: Uint32Array;
  terminated: Uint32Array;
  truncated: Uint32Array;
  reward: Float32Array;
}

/**
 * Batched Acrobot-v1 on the GPU (shaders/acrobot-step.wgsl), any number of envs. Drive it from the
 * host with `reset(seed)` / `step(actions)` / `readState()` / `setState(rows)`, or wire it into a
 * fused training pipeline with `binding()` + `encodeStep()` so no step needs a readback; the action
 * slot holds the action index (0, 1, 2 as f32, rounded and clamped by the kernel).
 * CPU twin: AcrobotCpu (src/envs/acrobot.ts), same semantics, constants and reset draws.
 */
export class AcrobotGpu extends Kernel {
  readonly obsDim = ACROBOT_OBS_DIM;
  readonly numActions = ACROBOT_NUM_ACTIONS;
  /** [theta1 | theta2 | dtheta1 | dtheta2] x numEnvs (f32). */
  readonly state: GPUBuffer;
  /** [steps | episodes | autoresetPending | terminated | truncated] x numEnvs (u32). */
  readonly counters: GPUBuffer;
  readonly reward: GPUBuffer;
  /** Host-driven actions [numEnvs] and observations [numEnvs * 6] used by step()/reset(). */
  readonly actions: GPUBuffer;
  readonly obs: GPUBuffer;
  private seed = 0;
  private readonly bindings: AcrobotBinding[] = [];
  private readonly own: AcrobotBinding;

  constructor(
    ctx: GpuContext,
    readonly numEnvs: number,
    readonly params: Readonly<AcrobotParams> = ACROBOT_V1,
  ) {
    super(ctx, 'acrobot-step');
    checkNumEnvs(numEnvs);
    if (params.availTorque.length !== ACROBOT_NUM_ACTIONS) {
      throw new RangeError(`params.availTorque must hold ${ACROBOT_NUM_ACTIONS} torques, got ${params.availTorque.length}`);
    }
    ACROBOT_PARAMS.checkAgainst('acrobot-step');
    this.state = ctx.createBuffer('acrobot:state', numEnvs * 16);
    this.counters = ctx.createBuffer('acrobot:counters', numEnvs * 20);
    this.reward = ctx.createBuffer('acrobot:reward', numEnvs * 4);
    this.actions = ctx.createBuffer('acrobot:actions', numEnvs * 4);
    this.obs = ctx.createBuffer('acrobot:obs', numEnvs * ACROBOT_OBS_DIM * 4);
    this.own = this.binding({ buffer: this.actions, stride: 1, offset: 0 }, { buffer: this.obs, stride: ACROBOT_OBS_DIM, offset: 0 });
  }

  private values(mode: number, b: { act: StridedSlot; obs: StridedSlot }) {
    const p = this.params, c = acrobotConsts(p);
    return {
      numEnvs: this.numEnvs, seed: this.seed, mode,
      actStride: b.act.stride, actOffset: b.act.offset, obsStride: b.obs.stride, obsOffset: b.obs.offset,
      maxEpisodeSteps: p.maxEpisodeSteps,
      torque0: p.availTorque[0]!, torque1: p.availTorque[1]!, torque2: p.availTorque[2]!,
      d1c: c.d1c, d2c: c.d2c, b: c.b, twoB: c.twoB, phi2c: c.phi2c, phi1c: c.phi1c,
      halfPi: c.halfPi, pi: c.pi, twoPi: c.twoPi, dt: c.dt, halfDt: c.halfDt, sixthDt: c.sixthDt,
      maxVel1: c.maxVel1, maxVel2: c.maxVel2, resetBound: p.resetBound,
    };
  }

  /** Wire the env to read actions from `act` and write observations to `obs` (different buffers). */
  binding(act: StridedSlot, obs: StridedSlot): AcrobotBinding {
    const stepParams = new ParamsBuffer(this.ctx.device, ACROBOT_PARAMS, 'acrobot:step-params');
    const resetParams = new ParamsBuffer(this.ctx.device, ACROBOT_PARAMS, 'acrobot:reset-params');
    stepParams.set(this.values(0, { act, obs }));
    resetParams.set(this.values(1, { act, obs }));
    const group = (pb: ParamsBuffer<typeof ACROBOT_PARAMS.fields>) =>
      this.bindGroup('env', [pb.buffer, this.state, this.counters, this.reward, act.buffer, obs.buffer]);
    const b: AcrobotBinding = { step: group(stepParams), reset: group(resetParams), stepParams, resetParams, act, obs };
    this.bindings.push(b);
    return b;
  }

  /** Set the seed used by resets (all bindings). */
  setSeed(seed: number): void {
    this.seed = seed >>> 0;
    for (const b of this.bindings) {
      b.stepParams.set(this.values(0, b));
      b.resetParams.set(this.values(1, b));
    }
  }

  encodeStep(pass: GPUComputePassEncoder, b: AcrobotBinding): void {
    this.dispatch(pass, b.step, this.numEnvs);
  }

  encodeReset(pass: GPUComputePassEncoder, b: AcrobotBinding): void {
    this.dispatch(pass, b.reset, this.numEnvs);
  }

  /** Reset every env with `seed`; resolves to the observations [numEnvs * 6]. */
  async reset(seed: number): Promise<Float32Array> {
    this.setSeed(seed);
    await runPass(this.ctx, 'acrobot-step', (pass) => this.encodeReset(pass, this.own));
    return readF32(this.ctx, this.obs);
  }

  /** One step of every env with host actions (0, 1 or 2 each); resolves to the new state. */
  async step(actions: ArrayLike<number>): Promise<AcrobotState> {
    checkDiscreteActions(actions, this.numEnvs, ACROBOT_NUM_ACTIONS);
    this.ctx.device.queue.writeBuffer(this.actions, 0, Float32Array.from(actions));
    await runPass(this.ctx, 'acrobot-step', (pass) => this.encodeStep(pass, this.own));
    return this.readState();
  }

  async readState(): Promise<AcrobotState> {
    const E = this.numEnvs;
    const s = await readF32(this.ctx, this.state);
    const c = await readU32(this.ctx, this.counters);
    return {
      theta1: s.slice(0, E), theta2: s.slice(E, 2 * E), dtheta1: s.slice(2 * E, 3 * E), dtheta2: s.slice(3 * E, 4 * E),
      steps: c.slice(0, E), episodes: c.slice(E, 2 * E), autoresetPending: c.slice(2 * E, 3 * E),
      terminated: c.slice(3 * E, 4 * E), truncated: c.slice(4 * E, 5 * E),
      reward: await readF32(this.ctx, this.reward),
    };
  }

  /**
   * Overwrite (theta1, theta2, dtheta1, dtheta2) of every env from rows of 4, as
   * `AcrobotCpu.setState` (steps and flags are kept).
   */
  setState(rows: ArrayLike<number>): void {
    const E = this.numEnvs;
    if (rows.length !== E * 4) throw new RangeError(`state must have length ${E * 4} (numEnvs * 4), got ${rows.length}`);
    const soa = new Float32Array(E * 4);
    for (let e = 0; e < E; e++) for (let c = 0; c < 4; c++) soa[c * E + e] = rows[e * 4 + c]!;
    this.ctx.device.queue.writeBuffer(this.state, 0, soa);
  }

  destroy(): void {
    for (const b of this.bindings) {
      b.stepParams.destroy();
      b.resetParams.destroy();
    }
    for (const buf of [this.state, this.counters, this.reward, this.actions, this.obs]) buf.destroy();
  }
}

/** acrobot-step's layout in a step program: env count, params, reset seed, mode, and the act / obs slots. */
export interface AcrobotOpLayout {
  numEnvs: number;
  params: Readonly<AcrobotParams>;
  seed: number;
  /** 0: step (autoresetting envs that ended), 1: reset every env. */
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
}

/** The AcrobotStepParams struct's values for one layout. */
export function acrobotParamValues(l: AcrobotOpLayout) {
  const p = l.params, c = acrobotConsts(p);
  return {
    numEnvs: l.numEnvs, seed: l.seed >>> 0, mode: l.mode,
    actStride: l.act.stride, actOffset: l.act.offset, obsStride: l.obs.stride, obsOffset: l.obs.offset,
    maxEpisodeSteps: p.maxEpisodeSteps,
    torque0: p.availTorque[0]!, torque1: p.availTorque[1]!, torque2: p.availTorque[2]!,
    d1c: c.d1c, d2c: c.d2c, b: c.b, twoB: c.twoB, phi2c: c.phi2c, phi1c: c.phi1c,
    halfPi: c.halfPi, pi: c.pi, twoPi: c.twoPi, dt: c.dt, halfDt: c.halfDt, sixthDt: c.sixthDt,
    maxVel1: c.maxVel1, maxVel2: c.maxVel2, resetBound: p.resetBound,
  };
}

/** The kernel's action rule: round half to even, clamp to [0, 2] (WGSL round + clamp). */
function actionIndex(a: number): number {
  const fl = Math.floor(a), d = a - fl;
  const r = d > 0.5 || (d === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
  return Math.min(Math.max(r, 0), ACROBOT_NUM_ACTIONS - 1);
}

/**
 * acrobot-step in the kernel registry: the env's state, counters and reward are named buffers of the
 * step program (laid out as `EnvStore`); the action index is read from `actIn` as a float (rounded
 * and clamped to 0..2) and the observation (cos t1, sin t1, cos t2, sin t2, dt1, dt2) written to
 * `obsOut`. The CPU twin is AcrobotCpu over the same arrays.
 */
export const ACROBOT_STEP: KernelDef<AcrobotOpLayout> = {
  wgsl: 'acrobot-step',
  uniform: true,
  bindings: ['state', 'counters', 'reward', 'actIn', 'obsOut'],
  parity: 'acrobot-step',
  cpu: (l, b) => {
    const E = l.numEnvs;
    const env = new AcrobotCpu(E, l.params, { state: b.state as Float32Array, counters: b.counters as Uint32Array, reward: b.reward as Float32Array });
    env.seed = l.seed >>> 0;
    const actIn = b.actIn as Float32Array, obsOut = b.obsOut as Float32Array;
    const actions = new Uint8Array(E);
    const obs = new Float32Array(E * ACROBOT_OBS_DIM);
    return () => {
      if (l.mode === 1) {
        env.reset(l.seed);
        env.reward.fill(0);
        env.terminated.fill(0);
        env.truncated.fill(0);
      } else {
        for (let e = 0; e < E; e++) actions[e] = actionIndex(actIn[e * l.act.stride + l.act.offset]!);
        env.step(actions);
      }
      env.observations(obs);
      for (let e = 0; e < E; e++) for (let c = 0; c < ACROBOT_OBS_DIM; c++) obsOut[e * l.obs.stride + l.obs.offset + c] = obs[e * ACROBOT_OBS_DIM + c]!;
    };
  },
  gpu: (ctx, l) => {
    const k = new AcrobotStepKernel(ctx, l);
    return {
      group: (b, label) => k.bindGroup(label, [k.paramsBuffer.buffer, b.state!, b.counters!, b.reward!, b.actIn!, b.obsOut!]),
      encode: (pass, g) => k.encode(pass, g),
      destroy: () => k.paramsBuffer.destroy(),
    };
  },
};

class AcrobotStepKernel extends Kernel {
  readonly paramsBuffer: ParamsBuffer<typeof ACROBOT_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly l: AcrobotOpLayout) {
    super(ctx, 'acrobot-step');
    ACROBOT_PARAMS.checkAgainst('acrobot-step');
    if (l.params.availTorque.length !== ACROBOT_NUM_ACTIONS) throw new RangeError(`params.availTorque must hold ${ACROBOT_NUM_ACTIONS} torques, got ${l.params.availTorque.length}`);
    this.paramsBuffer = new ParamsBuffer(ctx.device, ACROBOT_PARAMS, 'acrobot-step:params');
    this.paramsBuffer.set(acrobotParamValues(l));
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.l.numEnvs);
  }
}
