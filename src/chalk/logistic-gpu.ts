/**
 * The logistic (function-approximation) learner on WebGPU: the same step sequence as runLogistic
 * (logistic-learner.ts), three dispatches per step plus the clock tick, many steps per submit, no
 * readback in the loop:
 *   chalk-fa-chain (r): logisticChainKernel (input, policies, act, TD error, actor errors, records)
 *   chalk-fa-critic (q): logisticCriticKernel (tent-weighted mean TD error per critic knot)
 *   chalk-fa-learn (i f | i | 1): logisticLearnKernel (actor weights, marginals, reference level)
 *   clock-tick
 * Gain and marginals come back per submit through a ReadbackRing for progress reports.
 */
import type { GpuContext } from '../gpu/context.ts';
import { ReadbackRing, readF32, readU32 } from '../gpu/readback.ts';
import { DeviceClock } from '../kernels/clock.ts';
import { type ChalkFaBuffers, ChalkFaChainKernel, ChalkFaCriticKernel, ChalkFaLearnKernel } from '../kernels/chalk-fa.ts';
import { Stream } from '../rng/counter-rng.ts';
import { uniformThreshold } from './gpu-sampler.ts';
import {
  actorStepCap,
  type CountLevelProblem,
  createLogisticLearner,
  LOGISTIC_DEFAULTS,
  type LogisticConfig,
  type LogisticRun,
  type LogisticState,
  summariseLogistic,
} from './logistic-learner.ts';

/** Device buffers and kernels of one logistic learner. */
export class ChalkLogisticGpu {
  readonly clock: DeviceClock;
  readonly buffers: ChalkFaBuffers;
  readonly layout: { K: number; wOffset: number; margOffset: number; gainOffset: number };
  private readonly kernels: { chain: ChalkFaChainKernel; critic: ChalkFaCriticKernel; learn: ChalkFaLearnKernel };
  private readonly groups: GPUBindGroup[];
  stepCount = 0;

  constructor(
    readonly ctx: GpuContext,
    readonly problem: CountLevelProblem,
    readonly lambda: number,
    readonly config: LogisticConfig,
  ) {
    const init = createLogisticLearner(problem, lambda, config); // validates
    const n = problem.neurons;
    const nX = problem.inputs;
    const R = config.chains;
    const B = config.countBins;
    if (R * n > 2 ** 32 - 1) throw new RangeError(`chains * neurons must be < 2^32 (RNG agent index), got ${R * n}`);
    const K = nX * (B + 1);
    const wOffset = K;
    const margOffset = wOffset + n * K;
    const gainOffset = margOffset + n;
    this.layout = { K, wOffset, margOffset, gainOffset };
    const nR = nX * (n + 1);
    const prob = new Float32Array(nR + 2 * nX);
    prob.set(problem.rewardByCount, 0);
    prob.set(problem.inputPrior, nR);
    const thr = new Uint32Array(prob.buffer);
    let acc = 0;
    for (let k = 0; k < nX; k++) {
      acc += problem.inputPrior[k]!; // same f64 accumulation as drawInput
      thr[nR + nX + k] = uniformThreshold(acc);
    }
    const model = new Float32Array(gainOffset + 1);
    model.set(init.u, 0);
    model.set(init.w, wOffset);
    model.set(init.marginal, margOffset);
    model[gainOffset] = init.gain[0]!;
    this.clock = new DeviceClock(ctx, 1);
    this.buffers = {
      clock: this.clock.buffer,
      problem: ctx.createBufferFrom('chalk-fa-problem', prob),
      model: ctx.createBufferFrom('chalk-fa-model', model),
      chain: ctx.createBufferFrom('chalk-fa-chain', init.chain),
      spk: ctx.createBuffer('chalk-fa-spk', R * n * 4),
      scratch: ctx.createBuffer('chalk-fa-scratch', (2 * R * n + 3 * R) * 4),
      hist: ctx.createBuffer('chalk-fa-hist', nR * 4),
    };
    const invNeurons = Math.fround(1 / n);
    const common = { chains: R, neurons: n, inputs: nX, bins: B, invNeurons };
    this.kernels = {
      chain: new ChalkFaChainKernel(
        ctx,
        {
          ...common,
          seed: config.seed >>> 0,
          switchThreshold: uniformThreshold(problem.switchProb),
          recordFrom: Math.floor(config.steps * (1 - config.recordFraction)),
          lambda,
          wOffset,
          margOffset,
          gainOffset,
          priorOffset: nR,
          threshOffset: nR + nX,
          streamSwitch: Stream.chalkInputSwitch,
          streamValue: Stream.chalkInputValue,
          streamPick: Stream.chalkPick,
          streamSpike: Stream.spike,
        },
        problem.update === 'sync',
      ),
      critic: new ChalkFaCriticKernel(ctx, { ...common, criticRate: config.criticRate, criticDecay: config.criticDecay, pad: 0 }),
      learn: new ChalkFaLearnKernel(ctx, {
        ...common,
        marginalWarmup: config.marginalWarmup,
        actorRate: config.actorRate,
        actorCap: actorStepCap(config, lambda, n),
        marginalRate: config.marginalRate,
        minMarginal: config.minMarginal,
        wOffset,
        margOffset,
        gainOffset,
        pad0: 0,
        pad1: 0,
        pad2: 0,
      }),
    };
    this.groups = [this.kernels.chain.group(this.buffers), this.kernels.critic.group(this.buffers), this.kernels.learn.group(this.buffers)];
  }

  /** Record n learning steps into the pass. */
  encodeSteps(pass: GPUComputePassEncoder, n: number): void {
    const [g0, g1, g2] = this.groups as [GPUBindGroup, GPUBindGroup, GPUBindGroup];
    for (let s = 0; s < n; s++) {
      this.kernels.chain.encode(pass, g0);
      this.kernels.critic.encode(pass, g1);
      this.kernels.learn.encode(pass, g2);
      this.clock.encodeTick(pass);
    }
    this.stepCount += n;
  }

  /** One-shot read of every learner buffer, in the CPU LogisticState layout. */
  async readState(): Promise<LogisticState> {
    const n = this.problem.neurons;
    const R = this.config.chains;
    const L = this.layout;
    const model = await readF32(this.ctx, this.buffers.model);
    const scratch = await readF32(this.ctx, this.buffers.scratch);
    return {
      problem: this.problem,
      lambda: this.lambda,
      config: this.config,
      spk: await readU32(this.ctx, this.buffers.spk),
      chain: await readU32(this.ctx, this.buffers.chain),
      piOne: scratch.slice(0, R * n),
      err: scratch.slice(R * n, 2 * R * n),
      tdDelta: scratch.slice(2 * R * n, 2 * R * n + R),
      rewardSum: scratch.slice(2 * R * n + R, 2 * R * n + 2 * R),
      costSum: scratch.slice(2 * R * n + 2 * R, 2 * R * n + 3 * R),
      u: model.slice(0, L.K),
      w: model.slice(L.wOffset, L.margOffset),
      marginal: model.slice(L.margOffset, L.gainOffset),
      gain: model.slice(L.gainOffset, L.gainOffset + 1),
      hist: await readU32(this.ctx, this.buffers.hist),
    };
  }

  destroy(): void {
    for (const k of Object.values(this.kernels)) k.destroy();
    this.clock.destroy();
    const { clock: _clock, ...own } = this.buffers;
    for (const b of Object.values(own)) b.destroy();
  }
}

/** Progress hooks of runLogisticGpu (called from the readback ring, never awaited by the loop). */
export interface LogisticGpuHooks {
  onProgress?(done: number, total: number, gain: number, marginals: Float32Array): void;
}

/** Run the logistic learner on WebGPU: the counterpart of runLogistic (same seeds, same result layout). */
export async function runLogisticGpu(
  ctx: GpuContext,
  problem: CountLevelProblem,
  lambda: number,
  config: Partial<LogisticConfig> = {},
  opts: { stepsPerSubmit?: number; hooks?: LogisticGpuHooks } = {},
): Promise<LogisticRun & { timeMs: number }> {
  const c: LogisticConfig = { ...LOGISTIC_DEFAULTS, ...config };
  const run = new ChalkLogisticGpu(ctx, problem, lambda, c);
  const per = opts.stepsPerSubmit ?? 100;
  const L = run.layout;
  const ring = new ReadbackRing(ctx, [{ buffer: run.buffers.model, byteOffset: L.margOffset * 4, byteLength: (problem.neurons + 1) * 4 }], 3, 'chalk-fa-metrics');
  try {
    await ctx.checkAllocations();
    const t0 = performance.now();
    let done = 0;
    while (done < c.steps) {
      await ring.waitForSlot();
      const k = Math.min(per, c.steps - done);
      done += k;
      const at = done;
      ring.submitPass('chalk-fa:steps', (pass) => run.encodeSteps(pass, k), ([bytes]) => {
        const v = new Float32Array(bytes!);
        opts.hooks?.onProgress?.(at, c.steps, v[problem.neurons]!, v.subarray(0, problem.neurons));
      });
    }
    await ring.drain();
    ctx.checkHealthy();
    const state = await run.readState();
    return { ...summariseLogistic(state), timeMs: performance.now() - t0 };
  } finally {
    ring.destroy();
    run.destroy();
  }
}
