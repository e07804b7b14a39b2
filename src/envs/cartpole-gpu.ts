import type { GpuContext } from '../gpu/context.ts';
import { Kernel, runPass } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { readF32, readU32 } from '../gpu/readback.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { CartPoleCpu } from './cartpole.ts';
import { CARTPOLE_V1, type CartPoleParams } from './cartpole-params.ts';

export const CARTPOLE_PARAMS = new ParamsLayout('CartPoleParams', {
  numEnvs: 'u32',
  seed: 'u32',
  mode: 'u32',
  actStride: 'u32',
  actOffset: 'u32',
  obsStride: 'u32',
  obsOffset: 'u32',
  maxEpisodeSteps: 'u32',
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

/** Where element e lives in a float row buffer: e * stride + offset. */
export interface Slot {
  stride: number;
  offset: number;
}

/** A slice of a float buffer: element e lives at e * stride + offset. */
export interface StridedSlot extends Slot {
  buffer: GPUBuffer;
}

/** One way of wiring the env into a pipeline: where actions come from and observations go. */
export interface CartPoleBinding {
  step: GPUBindGroup;
  reset: GPUBindGroup;
  stepParams: ParamsBuffer<typeof CARTPOLE_PARAMS.fields>;
  resetParams: ParamsBuffer<typeof CARTPOLE_PARAMS.fields>;
  act: StridedSlot;
  obs: StridedSlot;
}

/** What `readState` returns: the SoA state and flags of every env. */
export interface CartPoleState {
  x: Float32Array;
  xDot: Float32Array;
  theta: Float32Array;
  thetaDot: Float32Array;
  steps: Uint32Array;
  episodes: Uint32Array;
  autoresetPending: Uint32Array;
  terminated: Uint32Array;
  truncated: Uint32Array;
  reward: Float32Array;
}

/** The CartPoleParams struct's values for one binding: `mode` 0 steps, 1 resets every env. */
export function cartpoleParamValues(p: CartPoleParams, numEnvs: number, seed: number, mode: number, act: Slot, obs: Slot) {
  return {
    numEnvs, seed, mode,
    actStride: act.stride, actOffset: act.offset, obsStride: obs.stride, obsOffset: obs.offset,
    maxEpisodeSteps: p.maxEpisodeSteps, gravity: p.gravity, massCart: p.massCart, massPole: p.massPole,
    length: p.length, forceMag: p.forceMag, tau: p.tau, thetaThreshold: p.thetaThresholdRadians,
    xThreshold: p.xThreshold, resetBound: p.resetBound,
  };
}

/**
 * Batched CartPole-v1 on the GPU (shaders/cartpole-step.wgsl), any number of envs. Drive it from
 * the host with `reset(seed)` / `step(actions)` / `readState()` / `setState(obs)`, or wire it into a
 * fused training pipeline with `binding()` + `encodeStep()` so no step needs a readback.
 * CPU twin: CartPoleCpu (src/envs/cartpole.ts), same semantics and the same reset draws.
 */
export class CartPoleGpu extends Kernel {
  readonly state: GPUBuffer;
  readonly counters: GPUBuffer;
  readonly reward: GPUBuffer;
  /** Host-driven actions [numEnvs] and observations [numEnvs * 4] used by step()/reset(). */
  readonly actions: GPUBuffer;
  readonly obs: GPUBuffer;
  private seed = 0;
  private readonly bindings: CartPoleBinding[] = [];
  private readonly own: CartPoleBinding;

  constructor(
    ctx: GpuContext,
    readonly numEnvs: number,
    readonly params: CartPoleParams = CARTPOLE_V1,
  ) {
    super(ctx, 'cartpole-step');
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`numEnvs must be an integer >= 1, got ${numEnvs}`);
    CARTPOLE_PARAMS.checkAgainst('cartpole-step');
    this.state = ctx.createBuffer('cartpole:state', numEnvs * 16);
    this.counters = ctx.createBuffer('cartpole:counters', numEnvs * 20);
    this.reward = ctx.createBuffer('cartpole:reward', numEnvs * 4);
    this.actions = ctx.createBuffer('cartpole:actions', numEnvs * 4);
    this.obs = ctx.createBuffer('cartpole:obs', numEnvs * 16);
    this.own = this.binding({ buffer: this.actions, stride: 1, offset: 0 }, { buffer: this.obs, stride: 4, offset: 0 });
  }

  private values(mode: number, b: { act: StridedSlot; obs: StridedSlot }) {
    return cartpoleParamValues(this.params, this.numEnvs, this.seed, mode, b.act, b.obs);
  }

  /** Wire the env to read actions from `act` and write observations to `obs` (different buffers). */
  binding(act: StridedSlot, obs: StridedSlot): CartPoleBinding {
    const stepParams = new ParamsBuffer(this.ctx.device, CARTPOLE_PARAMS, 'cartpole:step-params');
    const resetParams = new ParamsBuffer(this.ctx.device, CARTPOLE_PARAMS, 'cartpole:reset-params');
    stepParams.set(this.values(0, { act, obs }));
    resetParams.set(this.values(1, { act, obs }));
    const group = (pb: ParamsBuffer<typeof CARTPOLE_PARAMS.fields>) =>
      this.bindGroup('env', [pb.buffer, this.state, this.counters, this.reward, act.buffer, obs.buffer]);
    const b: CartPoleBinding = { step: group(stepParams), reset: group(resetParams), stepParams, resetParams, act, obs };
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

  encodeStep(pass: GPUComputePassEncoder, b: CartPoleBinding): void {
    this.dispatch(pass, b.step, this.numEnvs);
  }

  encodeReset(pass: GPUComputePassEncoder, b: CartPoleBinding): void {
    this.dispatch(pass, b.reset, this.numEnvs);
  }

  /** Reset every env with `seed`; resolves to the observations [numEnvs * 4]. */
  async reset(seed: number): Promise<Float32Array> {
    this.setSeed(seed);
    await runPass(this.ctx, 'cartpole-step', (pass) => this.encodeReset(pass, this.own));
    return readF32(this.ctx, this.obs);
  }

  /** One step of every env with host actions (0 or 1 each); resolves to the new state. */
  async step(actions: ArrayLike<number>): Promise<CartPoleState> {
    if (actions.length !== this.numEnvs) throw new RangeError(`actions must have length ${this.numEnvs} (numEnvs), got ${actions.length}`);
    this.ctx.device.queue.writeBuffer(this.actions, 0, Float32Array.from(actions));
    await runPass(this.ctx, 'cartpole-step', (pass) => this.encodeStep(pass, this.own));
    return this.readState();
  }

  async readState(): Promise<CartPoleState> {
    const E = this.numEnvs;
    const s = await readF32(this.ctx, this.state);
    const c = await readU32(this.ctx, this.counters);
    return {
      x: s.slice(0, E), xDot: s.slice(E, 2 * E), theta: s.slice(2 * E, 3 * E), thetaDot: s.slice(3 * E, 4 * E),
      steps: c.slice(0, E), episodes: c.slice(E, 2 * E), autoresetPending: c.slice(2 * E, 3 * E),
      terminated: c.slice(3 * E, 4 * E), truncated: c.slice(4 * E, 5 * E),
      reward: await readF32(this.ctx, this.reward),
    };
  }

  /** Overwrite (x, xDot, theta, thetaDot) of every env from rows of 4 (steps and flags are kept). */
  setState(obs: ArrayLike<number>): void {
    const E = this.numEnvs;
    if (obs.length !== E * 4) throw new RangeError(`state must have length ${E * 4} (numEnvs * 4), got ${obs.length}`);
    const soa = new Float32Array(E * 4);
    for (let e = 0; e < E; e++) for (let c = 0; c < 4; c++) soa[c * E + e] = obs[e * 4 + c]!;
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

/** cartpole-step's layout in a step program: env count, params, reset seed, mode, and the act / obs slots. */
export interface CartPoleOpLayout {
  numEnvs: number;
  params: CartPoleParams;
  seed: number;
  /** 0: step (autoresetting envs that ended), 1: reset every env. */
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
}

class CartPoleStepKernel extends Kernel {
  readonly paramsBuffer: ParamsBuffer<typeof CARTPOLE_PARAMS.fields>;
  constructor(ctx: GpuContext, readonly l: CartPoleOpLayout) {
    super(ctx, 'cartpole-step');
    CARTPOLE_PARAMS.checkAgainst('cartpole-step');
    this.paramsBuffer = new ParamsBuffer(ctx.device, CARTPOLE_PARAMS, 'cartpole-step:params');
    this.paramsBuffer.set(cartpoleParamValues(l.params, l.numEnvs, l.seed, l.mode, l.act, l.obs));
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.l.numEnvs);
  }
}

/**
 * cartpole-step in the kernel registry: the env's state, counters and reward are named buffers of
 * the step program (laid out as `EnvStore`); actions are read from `actIn` (> 0.5 pushes right)
 * and observations written to `obsOut`. The CPU twin is CartPoleCpu over the same arrays.
 */
export const CARTPOLE_STEP: KernelDef<CartPoleOpLayout> = {
  wgsl: 'cartpole-step',
  uniform: true,
  bindings: ['state', 'counters', 'reward', 'actIn', 'obsOut'],
  parity: 'cartpole-reinforce step (spike, env, record, update)',
  cpu: (l, b) => {
    const E = l.numEnvs;
    const env = new CartPoleCpu(E, l.params, { state: b.state as Float32Array, counters: b.counters as Uint32Array, reward: b.reward as Float32Array });
    env.seed = l.seed >>> 0;
    const actIn = b.actIn as Float32Array, obsOut = b.obsOut as Float32Array, state = b.state as Float32Array;
    const actions = new Uint8Array(E);
    return () => {
      if (l.mode === 1) env.reset(l.seed);
      else {
        for (let e = 0; e < E; e++) actions[e] = actIn[e * l.act.stride + l.act.offset]! > 0.5 ? 1 : 0;
        env.step(actions);
      }
      for (let e = 0; e < E; e++) for (let c = 0; c < 4; c++) obsOut[e * l.obs.stride + l.obs.offset + c] = state[c * E + e]!;
    };
  },
  gpu: (ctx, l) => {
    const k = new CartPoleStepKernel(ctx, l);
    return {
      group: (b, label) => k.bindGroup(label, [k.paramsBuffer.buffer, b.state!, b.counters!, b.reward!, b.actIn!, b.obsOut!]),
      encode: (pass, g) => k.encode(pass, g),
      destroy: () => k.paramsBuffer.destroy(),
    };
  },
};
