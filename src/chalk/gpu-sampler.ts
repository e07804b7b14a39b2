/**
 * The sampling learner on WebGPU: the same step sequence as runSampler (sampling-learner.ts), in
 * three dispatches per step plus the clock tick, many steps per submit, no readback in the loop:
 *   chalk-chain (r): chalkInputKernel, chalkPolicyKernel (all i), chalkTdKernel, chalkAsyncActKernel,
 *                    and the count histogram
 *   chalk-critic (r): chalkCriticScatter (the leader chain of each visited state writes h[s])
 *   chalk-learn (i,v | i | 1): chalkActorKernel, chalkMarginalKernel, chalkReferenceKernel
 *   clock-tick
 * Gain and marginals come back per submit through a ReadbackRing for progress reports.
 */
import { analysePolicy } from './analysis.ts';
import type { GpuContext } from '../gpu/context.ts';
import { ReadbackRing, readF32, readU32 } from '../gpu/readback.ts';
import { DeviceClock } from '../kernels/clock.ts';
import { ChalkChainKernel, ChalkCriticKernel, ChalkLearnKernel } from '../kernels/chalk.ts';
import { Stream } from '../rng/counter-rng.ts';
import { type ChalkProblem, stateCount, viewCount } from './problem.ts';
import { createLearner, learnerPolicy, type LearnerState, SAMPLING_DEFAULTS, type SampledRun, type SamplingConfig, validateSamplingConfig } from './sampling-learner.ts';

/** Threshold T with u < q  <=>  (u * 2^24) < T for every u on the RNG's 2^-24 grid. */
export function uniformThreshold(q: number): number {
  return Math.min(2 ** 32 - 1, Math.max(0, Math.ceil(q * 16777216)));
}

/** Device buffers and kernels of one sampling learner. */
export class ChalkGpuSampler {
  readonly clock: DeviceClock;
  readonly problemBuf: GPUBuffer;
  readonly model: GPUBuffer;
  readonly chain: GPUBuffer;
  readonly tdDelta: GPUBuffer;
  readonly piOne: GPUBuffer;
  readonly hist: GPUBuffer;
  readonly layout: { states: number; views: number; advOffset: number; margOffset: number; gainOffset: number };
  private readonly kernels: { chain: ChalkChainKernel; critic: ChalkCriticKernel; learn: ChalkLearnKernel };
  private readonly groups: GPUBindGroup[];
  /** Steps recorded so far (the device clock holds stepCount + 1). */
  stepCount = 0;

  constructor(
    readonly ctx: GpuContext,
    readonly problem: ChalkProblem,
    readonly lambda: number,
    readonly config: SamplingConfig,
  ) {
    validateSamplingConfig(config);
    const init = createLearner(problem, lambda, config.chains, config.seed);
    const n = problem.neurons;
    const nX = problem.inputs;
    const nS = stateCount(problem);
    const nV = viewCount(problem);
    const R = config.chains;
    const advOffset = nS;
    const margOffset = advOffset + n * nV;
    const gainOffset = margOffset + n;
    this.layout = { states: nS, views: nV, advOffset, margOffset, gainOffset };

    const prob = new Float32Array(nS + 2 * nX);
    prob.set(problem.reward, 0);
    prob.set(problem.inputPrior, nS);
    const thr = new Uint32Array(prob.buffer);
    let acc = 0;
    for (let k = 0; k < nX; k++) {
      acc += problem.inputPrior[k]!; // same f64 accumulation as drawInput
      thr[nS + nX + k] = uniformThreshold(acc);
    }
    const model = new Float32Array(gainOffset + 1);
    model.set(init.h, 0);
    model.set(init.advantage, advOffset);
    model.set(init.marginal, margOffset);
    model[gainOffset] = init.gain[0]!;
    const chain = new Uint32Array(3 * R);
    chain.set(init.input, 0);
    chain.set(init.post, R);

    this.clock = new DeviceClock(ctx, 1);
    this.problemBuf = ctx.createBufferFrom('chalk-problem', prob);
    this.model = ctx.createBufferFrom('chalk-model', model);
    this.chain = ctx.createBufferFrom('chalk-chain', chain);
    this.tdDelta = ctx.createBuffer('chalk-td-delta', R * 4);
    this.piOne = ctx.createBuffer('chalk-pi-one', R * n * 4);
    this.hist = ctx.createBuffer('chalk-count-hist', nX * (n + 1) * 4);

    const recordFrom = Math.floor(config.steps * (1 - config.recordFraction));
    this.kernels = {
      chain: new ChalkChainKernel(
        ctx,
        {
          chains: R,
          neurons: n,
          inputs: nX,
          seed: config.seed >>> 0,
          switchThreshold: uniformThreshold(problem.switchProb),
          recordFrom,
          lambda,
          switchProb: problem.switchProb,
          advOffset,
          margOffset,
          gainOffset,
          priorOffset: nS,
          threshOffset: nS + nX,
          streamSwitch: Stream.chalkInputSwitch,
          streamValue: Stream.chalkInputValue,
          streamPick: Stream.chalkPick,
          streamSpike: Stream.spike,
        },
        config.inputExpectation,
      ),
      critic: new ChalkCriticKernel(ctx, { chains: R, criticRate: config.criticRate, criticDecay: config.criticDecay, pad: 0 }),
      learn: new ChalkLearnKernel(ctx, {
        chains: R,
        neurons: n,
        inputs: nX,
        marginalWarmup: config.marginalWarmup,
        actorRate: config.actorRate,
        marginalRate: config.marginalRate,
        minMarginal: config.minMarginal,
        advOffset,
        margOffset,
        gainOffset,
        states: nS,
        pad: 0,
      }),
    };
    const b = { clock: this.clock.buffer, problem: this.problemBuf, model: this.model, chain: this.chain, tdDelta: this.tdDelta, piOne: this.piOne, hist: this.hist };
    this.groups = [this.kernels.chain.group(b), this.kernels.critic.group(b), this.kernels.learn.group(b)];
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

  /** One-shot read of every learner buffer, in the CPU LearnerState layout (tests, final result). */
  async readState(): Promise<{ state: LearnerState; hist: Uint32Array }> {
    const { problem: p, lambda } = this;
    const R = this.config.chains;
    const n = p.neurons;
    const L = this.layout;
    const model = await readF32(this.ctx, this.model);
    const chain = await readU32(this.ctx, this.chain);
    const tdDelta = await readF32(this.ctx, this.tdDelta);
    const piOne = await readF32(this.ctx, this.piOne);
    const hist = await readU32(this.ctx, this.hist);
    const spikes = new Uint8Array(R * n);
    for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) spikes[r * n + i] = (chain[R + r]! >>> i) & 1;
    const state: LearnerState = {
      problem: p,
      lambda,
      seed: this.config.seed,
      chains: R,
      spikes,
      input: chain.slice(0, R),
      post: chain.slice(R, 2 * R),
      piOne,
      tdIndex: chain.slice(2 * R, 3 * R),
      tdDelta,
      h: model.slice(0, L.states),
      advantage: model.slice(L.advOffset, L.margOffset),
      marginal: model.slice(L.margOffset, L.gainOffset),
      gain: model.slice(L.gainOffset, L.gainOffset + 1),
    };
    return { state, hist };
  }

  destroy(): void {
    for (const k of Object.values(this.kernels)) k.destroy();
    this.clock.destroy();
    for (const b of [this.problemBuf, this.model, this.chain, this.tdDelta, this.piOne, this.hist]) b.destroy();
  }
}

/** Progress hooks of runSamplerGpu (called from the readback ring, never awaited by the loop). */
export interface SamplerHooks {
  onProgress?(done: number, total: number, gain: number, marginals: Float32Array): void;
}

/** Run the sampling learner on WebGPU: the counterpart of runSampler (same seeds, same result layout). */
export async function runSamplerGpu(
  ctx: GpuContext,
  problem: ChalkProblem,
  lambda: number,
  config: Partial<SamplingConfig> = {},
  opts: { stepsPerSubmit?: number; hooks?: SamplerHooks } = {},
): Promise<SampledRun> {
  const c: SamplingConfig = { ...SAMPLING_DEFAULTS, ...config };
  const run = new ChalkGpuSampler(ctx, problem, lambda, c);
  const per = opts.stepsPerSubmit ?? 250;
  const L = run.layout;
  const ring = new ReadbackRing(ctx, [{ buffer: run.model, byteOffset: L.margOffset * 4, byteLength: (problem.neurons + 1) * 4 }], 3, 'chalk-metrics');
  try {
    await ctx.checkAllocations();
    let done = 0;
    while (done < c.steps) {
      await ring.waitForSlot();
      const k = Math.min(per, c.steps - done);
      done += k;
      const at = done;
      ring.submitPass('chalk-sampler:steps', (pass) => run.encodeSteps(pass, k), ([bytes]) => {
        const v = new Float32Array(bytes!);
        opts.hooks?.onProgress?.(at, c.steps, v[problem.neurons]!, v.subarray(0, problem.neurons));
      });
    }
    await ring.drain();
    ctx.checkHealthy();
    const { state, hist } = await run.readState();
    const piOne = learnerPolicy(state);
    const analysis = analysePolicy(problem, piOne);
    const n = problem.neurons;
    const empiricalCountDist: number[][] = [];
    for (let x = 0; x < problem.inputs; x++) {
      const row = Array.from(hist.subarray(x * (n + 1), (x + 1) * (n + 1)));
      const tot = row.reduce((a, b) => a + b, 0);
      empiricalCountDist.push(row.map((v) => (tot > 0 ? v / tot : 0)));
    }
    return { state, piOne, analysis, empiricalCountDist, gain: state.gain[0]!, chainSteps: c.chains * c.steps };
  } finally {
    ring.destroy();
    run.destroy();
  }
}
