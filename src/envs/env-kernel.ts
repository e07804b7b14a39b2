import type { GpuContext } from '../gpu/context.ts';
import { Kernel, runPass } from '../gpu/kernel.ts';
import { ParamsBuffer, type ParamsLayout, type ScalarType } from '../gpu/params.ts';
import { readF32, readU32 } from '../gpu/readback.ts';
import type { KernelDef, ReplicaRange } from '../run/kernel-def.ts';
import { checkNumEnvs, type EnvStore } from './env-types.ts';
import type { EnvTwin } from './env-twin.ts';

/** Where element e lives in a float row buffer: e * stride + offset. */
export interface Slot {
  stride: number;
  offset: number;
}

/** A slice of a float buffer: element e lives at e * stride + offset. */
export interface StridedSlot extends Slot {
  buffer: GPUBuffer;
}

/**
 * The action index a kernel reads from a float slot: `u32(clamp(round(x), 0, n - 1))`, WGSL's
 * `round` rounding halves to even (NaN, which WGSL leaves unspecified, reads as 0 here).
 */
export function roundedAction(x: number, n: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r > 0 ? Math.min(r, n - 1) : 0;
}

/**
 * The leading fields of every env kernel's params struct (shaders/env-common.wgsl reads them):
 * spread first into each env's ParamsLayout.
 */
export const ENV_PARAMS_HEAD = {
  ...envSlotFields(),
  maxEpisodeSteps: 'u32',
} as const;

/** The head's fields but maxEpisodeSteps (envHeadValues gives their values): also the multiplexer bandit's, which has no episodes. */
export function envSlotFields() {
  return { numEnvs: 'u32', seed: 'u32', mode: 'u32', actStride: 'u32', actOffset: 'u32', obsStride: 'u32', obsOffset: 'u32' } as const;
}

/** The values of ENV_PARAMS_HEAD but maxEpisodeSteps (which each env gives from its own params), for one layout. */
export function envHeadValues(l: Omit<EnvKernelLayout<unknown>, 'params'>) {
  return { numEnvs: l.numEnvs, seed: l.seed >>> 0, mode: l.mode, actStride: l.act.stride, actOffset: l.act.offset, obsStride: l.obs.stride, obsOffset: l.obs.offset };
}

/** Every env kernel's layout in a step program: env count, its constants, reset seed, mode and the act / obs slots. */
export interface EnvKernelLayout<P> {
  numEnvs: number;
  params: P;
  seed: number;
  /** 0: step (autoresetting envs that ended), 1: reset every env. */
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
}

/**
 * One batched env's kernel (shaders/<wgsl>.wgsl over shaders/env-common.wgsl) and its CPU twin
 * (an EnvTwin over the same arrays), described once: the params struct, its values for a layout,
 * the twin, and how the twin reads the action slot as the kernel does.
 */
export interface EnvKernelSpec<P, F extends Record<string, ScalarType>> {
  wgsl: string;
  paramsLayout: ParamsLayout<F>;
  values(l: EnvKernelLayout<P>): { [K in keyof F]: number };
  twin(numEnvs: number, params: P, store: EnvStore): EnvTwin;
  /** The action the twin steps with, from the float in the act slot. */
  action(x: number): number;
  /**
   * Envs that read several consecutive act slots (one spike per motor neuron, e.g. chemotaxis):
   * the twin's action from the row `actIn[base ..]`; default `action(actIn[base])`.
   */
  readAction?(actIn: Float32Array, base: number): number;
  /** The parity suite that compares the kernel with the twin. */
  parity: string;
}

/** The kernel's GPU form for one layout: its params uniform, and a dispatch per env. */
export class EnvStepKernel<P, F extends Record<string, ScalarType>> extends Kernel {
  readonly paramsBuffer: ParamsBuffer<F>;
  constructor(
    ctx: GpuContext,
    readonly spec: EnvKernelSpec<P, F>,
    readonly l: EnvKernelLayout<P>,
  ) {
    super(ctx, spec.wgsl);
    spec.paramsLayout.checkAgainst(spec.wgsl);
    this.paramsBuffer = new ParamsBuffer(ctx.device, spec.paramsLayout, `${spec.wgsl}:params`);
    this.paramsBuffer.set(spec.values(l));
  }
  group(b: { state: GPUBuffer; counters: GPUBuffer; reward: GPUBuffer; actIn: GPUBuffer; obsOut: GPUBuffer }, label: string): GPUBindGroup {
    return this.bindGroup(label, [this.paramsBuffer.buffer, b.state, b.counters, b.reward, b.actIn, b.obsOut]);
  }
  encode(pass: GPUComputePassEncoder, group: GPUBindGroup): void {
    this.dispatch(pass, group, this.l.numEnvs);
  }
  destroy(): void {
    this.paramsBuffer.destroy();
  }
}

/**
 * The env's registered kernel: the state, counters and reward are named buffers of the step
 * program (laid out as `EnvStore`), actions are read from `actIn`, observations written to
 * `obsOut`; the CPU twin is the env's EnvTwin over the same arrays.
 */
export function envKernelDef<P, F extends Record<string, ScalarType>>(spec: EnvKernelSpec<P, F>): KernelDef<EnvKernelLayout<P>> {
  return {
    wgsl: spec.wgsl,
    uniform: true,
    bindings: ['state', 'counters', 'reward', 'actIn', 'obsOut'],
    parity: spec.parity,
    cpu: (l, b, range?: ReplicaRange) => {
      const E = l.numEnvs;
      // A replica range (the CPU executor's workers): steps envs [e0, e1) only (resets are never split).
      const [e0, e1] = range ?? [0, E];
      const env = spec.twin(E, l.params, { state: b.state as Float32Array, counters: b.counters as Uint32Array, reward: b.reward as Float32Array });
      env.seed = l.seed >>> 0;
      const actIn = b.actIn as Float32Array,
        obsOut = b.obsOut as Float32Array;
      const actions = new Float64Array(E);
      const D = env.obsDim;
      const obs = new Float32Array(E * D);
      return () => {
        if (l.mode === 1) env.reset(l.seed);
        else {
          for (let e = e0; e < e1; e++) {
            const base = e * l.act.stride + l.act.offset;
            actions[e] = spec.readAction ? spec.readAction(actIn, base) : spec.action(actIn[base]!);
          }
          env.step(actions, e0, e1);
        }
        env.observations(obs);
        for (let e = e0; e < e1; e++) for (let c = 0; c < D; c++) obsOut[e * l.obs.stride + l.obs.offset + c] = obs[e * D + c]!;
      };
    },
    gpu: (ctx, l) => {
      const k = new EnvStepKernel(ctx, spec, l);
      return { group: (b, label) => k.group(b as Parameters<typeof k.group>[0], label), encode: (pass, g) => k.encode(pass, g), destroy: () => k.destroy() };
    },
  };
}

/** What a host-driven env's `readState` returns: its state components by name, the counters and the reward. */
export type EnvState<N extends string> = Record<N, Float32Array> & {
  steps: Uint32Array;
  episodes: Uint32Array;
  autoresetPending: Uint32Array;
  terminated: Uint32Array;
  truncated: Uint32Array;
  reward: Float32Array;
};

interface HostBinding<F extends Record<string, ScalarType>> {
  step: GPUBindGroup;
  reset: GPUBindGroup;
  stepParams: ParamsBuffer<F>;
  resetParams: ParamsBuffer<F>;
  act: StridedSlot;
  obs: StridedSlot;
}

/**
 * A batched env on the GPU with its own buffers, any number of envs: drive it from the host with
 * `reset(seed)` / `step(actions)` / `readState()` / `setState(rows)` (parity tests, benches), or
 * wire it into a hand-built pass with `binding()` + `encodeStep()`. Step programs use the env's
 * registered kernel (`envKernelDef`) instead.
 */
export class HostEnvGpu<P, F extends Record<string, ScalarType>, N extends string> {
  readonly state: GPUBuffer;
  readonly counters: GPUBuffer;
  readonly reward: GPUBuffer;
  /** Host-driven actions [numEnvs] and observations [numEnvs * obsDim] used by step()/reset(). */
  readonly actions: GPUBuffer;
  readonly obs: GPUBuffer;
  private readonly kernel: Kernel & { encodeWith(pass: GPUComputePassEncoder, g: GPUBindGroup): void };
  private seed = 0;
  private readonly bindings: HostBinding<F>[] = [];
  private own?: HostBinding<F>;

  constructor(
    private readonly ctx: GpuContext,
    private readonly spec: EnvKernelSpec<P, F>,
    readonly numEnvs: number,
    readonly params: P,
    /** Names of the state components, in buffer order. */
    readonly stateNames: readonly N[],
    readonly obsDim: number,
    /** Throws unless the host actions are valid (before any env moves). */
    private readonly checkActions: (actions: ArrayLike<number>, numEnvs: number) => void,
  ) {
    checkNumEnvs(numEnvs);
    spec.paramsLayout.checkAgainst(spec.wgsl);
    const n = spec.wgsl.replace(/-step$/, '');
    this.kernel = new (class extends Kernel {
      encodeWith(pass: GPUComputePassEncoder, g: GPUBindGroup): void {
        this.dispatch(pass, g, numEnvs);
      }
    })(ctx, spec.wgsl);
    this.state = ctx.createBuffer(`${n}:state`, numEnvs * stateNames.length * 4);
    this.counters = ctx.createBuffer(`${n}:counters`, numEnvs * 20);
    this.reward = ctx.createBuffer(`${n}:reward`, numEnvs * 4);
    this.actions = ctx.createBuffer(`${n}:actions`, numEnvs * 4);
    this.obs = ctx.createBuffer(`${n}:obs`, numEnvs * obsDim * 4);
  }

  private values(mode: 0 | 1, b: { act: Slot; obs: Slot }) {
    return this.spec.values({ numEnvs: this.numEnvs, params: this.params, seed: this.seed, mode, act: b.act, obs: b.obs });
  }

  /** Wire the env to read actions from `act` and write observations to `obs` (different buffers). */
  binding(act: StridedSlot, obs: StridedSlot): HostBinding<F> {
    const stepParams = new ParamsBuffer(this.ctx.device, this.spec.paramsLayout, `${this.spec.wgsl}:step-params`);
    const resetParams = new ParamsBuffer(this.ctx.device, this.spec.paramsLayout, `${this.spec.wgsl}:reset-params`);
    stepParams.set(this.values(0, { act, obs }));
    resetParams.set(this.values(1, { act, obs }));
    const group = (pb: ParamsBuffer<F>) => this.kernel.bindGroup('env', [pb.buffer, this.state, this.counters, this.reward, act.buffer, obs.buffer]);
    const b: HostBinding<F> = { step: group(stepParams), reset: group(resetParams), stepParams, resetParams, act, obs };
    this.bindings.push(b);
    return b;
  }

  private get hostBinding(): HostBinding<F> {
    return (this.own ??= this.binding({ buffer: this.actions, stride: 1, offset: 0 }, { buffer: this.obs, stride: this.obsDim, offset: 0 }));
  }

  /** Set the seed used by resets (all bindings). */
  setSeed(seed: number): void {
    this.seed = seed >>> 0;
    for (const b of this.bindings) {
      b.stepParams.set(this.values(0, b));
      b.resetParams.set(this.values(1, b));
    }
  }

  encodeStep(pass: GPUComputePassEncoder, b: HostBinding<F>): void {
    this.kernel.encodeWith(pass, b.step);
  }

  encodeReset(pass: GPUComputePassEncoder, b: HostBinding<F>): void {
    this.kernel.encodeWith(pass, b.reset);
  }

  /** Reset every env with `seed`; resolves to the observations [numEnvs * obsDim]. */
  async reset(seed: number): Promise<Float32Array> {
    const b = this.hostBinding;
    this.setSeed(seed);
    await runPass(this.ctx, this.spec.wgsl, (pass) => this.encodeReset(pass, b));
    return readF32(this.ctx, this.obs);
  }

  /** One step of every env with host actions; resolves to the new state. */
  async step(actions: ArrayLike<number>): Promise<EnvState<N>> {
    this.checkActions(actions, this.numEnvs);
    const b = this.hostBinding;
    this.ctx.device.queue.writeBuffer(this.actions, 0, Float32Array.from(actions));
    await runPass(this.ctx, this.spec.wgsl, (pass) => this.encodeStep(pass, b));
    return this.readState();
  }

  async readState(): Promise<EnvState<N>> {
    const E = this.numEnvs;
    const s = await readF32(this.ctx, this.state);
    const c = await readU32(this.ctx, this.counters);
    const out: Record<string, Float32Array | Uint32Array> = {
      steps: c.slice(0, E),
      episodes: c.slice(E, 2 * E),
      autoresetPending: c.slice(2 * E, 3 * E),
      terminated: c.slice(3 * E, 4 * E),
      truncated: c.slice(4 * E, 5 * E),
      reward: await readF32(this.ctx, this.reward),
    };
    this.stateNames.forEach((n, k) => (out[n] = s.slice(k * E, (k + 1) * E)));
    return out as EnvState<N>;
  }

  /** Overwrite the state of every env from rows of the state components (steps and flags are kept), as the twin's `setState`. */
  setState(rows: ArrayLike<number>): void {
    const E = this.numEnvs,
      S = this.stateNames.length;
    if (rows.length !== E * S) throw new RangeError(`state must have length ${E * S} (numEnvs * ${S}), got ${rows.length}`);
    const soa = new Float32Array(E * S);
    for (let e = 0; e < E; e++) for (let c = 0; c < S; c++) soa[c * E + e] = rows[e * S + c]!;
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
