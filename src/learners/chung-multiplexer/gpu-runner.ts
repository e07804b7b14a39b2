/**
 * The GPU runner: Chung's actor on the multiplexer, every step one sequence of dispatches in one
 * compute pass, `stepsPerSubmit` steps per submit, metrics through a ReadbackRing.
 *
 * One step (replica r, clock t = episode):
 * 1. chung-hidden-forward per hidden layer (values, mean, charac)
 * 2. chung-output-partial + chung-softmax-output (actions, output charac)
 * 3. chung-mux-env score: reward per env -> the signal, the reward log and per-env sums
 * 4. from the output down: chung-unit-reward (output: broadcast; hidden: Weight Max gather from the
 *    layer above, or broadcast for REINFORCE), then chung-param-update (raw update + Adam / SGD)
 * 5. chung-mux-env draw: the next input
 * 6. clock-tick
 * The CPU twin (cpu-runner.ts) calls the reference kernels in the same order.
 */
import type { GpuContext } from '../../gpu/context.ts';
import { readF32, readU32 } from '../../gpu/readback.ts';
import { SCATTER_MAX_UNITS, type UnitRewardMode, ChungHiddenForwardKernel, ChungRewardSumKernel, ChungMuxKernel, ChungOutputPartialKernel, ChungParamUpdateKernel, ChungSgdScatterKernel, ChungSoftmaxKernel, ChungUnitRewardKernel } from '../../kernels/chung.ts';
import { DeviceClock } from '../../kernels/clock.ts';
import { Stream } from '../../rng/counter-rng.ts';
import type { ChungMuxConfig } from './config.ts';
import { adamCorrectionTable, type HostNet } from './network.ts';

interface LayerBuffers {
  theta: GPUBuffer;
  mv: GPUBuffer;
  pre: GPUBuffer;
  outStart: GPUBuffer;
  outSyn: GPUBuffer;
  mean: GPUBuffer;
  values: GPUBuffer;
  charac: GPUBuffer;
  reward: GPUBuffer;
}

type Encoder = (pass: GPUComputePassEncoder) => void;

/** Inputs per output-drive chunk with the hardware forms (config outputChunk caps it further). */
const HARDWARE_OUTPUT_CHUNK = 32;

/** Layers with fewer (replica, unit) threads than this update one thread per parameter (the output). */
const PER_PARAM_BELOW = 64;

export class ChungMuxGpuRunner {
  readonly clock: DeviceClock;
  readonly obs: GPUBuffer;
  readonly target: GPUBuffer;
  readonly signal: GPUBuffer;
  readonly episodes: GPUBuffer;
  readonly actions: GPUBuffer;
  readonly rewardLog: GPUBuffer;
  readonly sums: GPUBuffer;
  readonly partial: GPUBuffer;
  readonly layers: LayerBuffers[];
  private readonly owned: GPUBuffer[] = [];
  private readonly kernels: { destroy(): void }[] = [];
  /** The step's dispatch groups in order (profiling: submit one at a time). */
  readonly stepEncoders: Encoder[] = [];
  private readonly resetEncoder: Encoder;
  readonly obsDim: number;
  /** Steps encoded so far (= the clock of the next step). */
  step = 0;

  /**
   * The kernel forms for hardware GPUs (options.hardwareKernels; default: unless the adapter is a
   * fallback one such as SwiftShader): the split-fan-in hidden forward, the grouped dense Weight
   * Max gather, output-drive chunks of at most HARDWARE_OUTPUT_CHUNK inputs and one invocation per
   * parameter in every update. Each unit's sums then add in a
   * different f32 order than the plain forms (parity within tolerance, as against the f64 twin);
   * the per-parameter update is the same arithmetic. On SwiftShader the plain forms are faster.
   */
  readonly hardwareKernels: boolean;

  constructor(
    readonly ctx: GpuContext,
    readonly c: ChungMuxConfig,
    readonly net: HostNet,
    options: { hardwareKernels?: boolean } = {},
  ) {
    const R = c.replicas;
    const hw = (this.hardwareKernels = options.hardwareKernels ?? ctx.hardwareAdapter);
    const obsDim = (this.obsDim = net.inDim);
    const buf = (label: string, bytes: number) => {
      const b = ctx.createBuffer(`chung-mux:${label}`, bytes);
      this.owned.push(b);
      return b;
    };
    const from = (label: string, data: ArrayBufferView) => {
      const b = ctx.createBufferFrom(`chung-mux:${label}`, data);
      this.owned.push(b);
      return b;
    };
    this.clock = new DeviceClock(ctx, 0);
    this.kernels.push(this.clock);
    this.obs = buf('obs', R * obsDim * 4);
    this.target = buf('target', R * 4);
    this.signal = buf('signal', R * 4);
    this.episodes = buf('episodes', R * 4);
    this.actions = buf('actions', R * 4);
    this.rewardLog = buf('reward-log', c.stepsPerSubmit * 4);
    this.sums = buf('sums', R * 4);
    const dummy = () => buf('unused', 16);
    const corr = from('adam-corr', adamCorrectionTable(c.adamBeta1, c.adamBeta2, c.adamBiasCorrectionSteps));
    const out = net.layers.length - 1;
    const outL = net.layers[out]!;
    // Hardware: short chunks (more invocations), but at most 1024 of them, as the softmax kernel
    // adds a replica's chunks in one invocation (the million preset's 2^20-input output keeps 1024).
    const chunk = Math.min(hw ? Math.min(c.outputChunk, Math.max(HARDWARE_OUTPUT_CHUNK, Math.ceil(outL.fanIn / 1024))) : c.outputChunk, outL.fanIn);
    const chunks = Math.ceil(outL.fanIn / chunk);
    this.partial = buf('output-partial', R * outL.nOut * chunks * 4);

    // The CSR view is only stored where a Weight Max gather walks it (not for 'scatter' gathers).
    const needCsr = (l: number) => l > 0 && c.rule === 'weightmax' && !(c.gatherMode === 'scatter' && net.layers[l - 1]!.nOut <= SCATTER_MAX_UNITS);
    this.layers = net.layers.map((L, l) => ({
      theta: from(`theta${l}`, L.theta),
      mv: c.optimizer[l] === 'adam' ? buf(`adam${l}`, L.theta.byteLength * 2) : dummy(),
      pre: L.pre ? from(`pre${l}`, L.pre) : dummy(),
      outStart: L.outStart && needCsr(l) ? from(`out-start${l}`, L.outStart) : dummy(),
      outSyn: L.outSyn && needCsr(l) ? from(`out-syn${l}`, L.outSyn) : dummy(),
      mean: buf(`mean${l}`, R * L.nVals * 4),
      values: buf(`values${l}`, R * L.nVals * 4),
      charac: buf(`charac${l}`, R * L.nOut * 4),
      reward: buf(`reward${l}`, R * L.nOut * 4),
    }));

    const mux = { envs: R, addressBits: c.addressBits, obsDim, seed: c.seed, stream: Stream.envReset, logSlots: c.stepsPerSubmit };
    const muxBufs = { actions: this.actions, clock: this.clock.buffer, obs: this.obs, target: this.target, reward: this.signal, episodes: this.episodes, rewardLog: this.rewardLog, sums: this.sums };
    const draw = new ChungMuxKernel(ctx, mux, 'draw');
    const score = new ChungMuxKernel(ctx, mux, 'score');
    this.kernels.push(draw, score);
    const drawGroup = draw.group(muxBufs);
    const scoreGroup = score.group(muxBufs);
    this.resetEncoder = (pass) => draw.encode(pass, drawGroup);

    const input = (l: number) => (l === 0 ? this.obs : this.layers[l - 1]!.values);
    const inDim = (l: number) => net.layers[l]!.nIn;
    const enc = this.stepEncoders;
    // 1. hidden forward
    for (let l = 0; l < out; l++) {
      const L = net.layers[l]!, B = this.layers[l]!;
      const k = new ChungHiddenForwardKernel(ctx, {
        replicas: R, units: L.nOut, fanIn: L.fanIn, inDim: inDim(l), agentStride: net.agentsPerReplica, agentOffset: L.agentOffset, seed: c.seed, stream: Stream.spike, temp: L.temp,
      }, L.sparse, hw);
      this.kernels.push(k);
      const g = k.group({ theta: B.theta, pre: B.pre, clock: this.clock.buffer, x: input(l), mean: B.mean, values: B.values, charac: B.charac });
      enc.push((pass) => k.encode(pass, g));
    }
    // 2. output
    {
      const B = this.layers[out]!;
      const part = new ChungOutputPartialKernel(ctx, { replicas: R, units: outL.nOut, fanIn: outL.fanIn, chunks, chunk });
      const soft = new ChungSoftmaxKernel(ctx, {
        replicas: R, actions: outL.nVals, fanIn: outL.fanIn, chunks, agentStride: net.agentsPerReplica, agentOffset: outL.agentOffset, seed: c.seed, stream: Stream.spike, temp: outL.temp,
      });
      this.kernels.push(part, soft);
      const gp = part.group({ theta: B.theta, x: input(out), partial: this.partial });
      const gs = soft.group({ theta: B.theta, partial: this.partial, clock: this.clock.buffer, mean: B.mean, values: B.values, actions: this.actions, charac: B.charac });
      enc.push((pass) => {
        part.encode(pass, gp);
        soft.encode(pass, gs);
      });
    }
    // 3. score
    enc.push((pass) => score.encode(pass, scoreGroup));
    // 4. learning, from the output down
    const ro = dummy();
    // A sparse SGD layer whose below layer takes the scatter gather: its update runs inside that
    // gather (chung-sgd-scatter), one walk over its synapses instead of two.
    const scatterBelow = (l: number) => l > 0 && c.rule === 'weightmax' && c.gatherMode === 'scatter' && net.layers[l]!.sparse && net.layers[l - 1]!.nOut <= SCATTER_MAX_UNITS;
    const fused = (l: number) => c.fuseSgdScatter && l < out && c.optimizer[l] === 'sgd' && scatterBelow(l);
    for (let l = out; l >= 0; l--) {
      const L = net.layers[l]!, B = this.layers[l]!;
      const above = l < out ? net.layers[l + 1]! : null;
      const AB = l < out ? this.layers[l + 1]! : null;
      let mode: UnitRewardMode = l === out || c.rule === 'reinforce' ? 'broadcast' : above!.sparse ? 'weightmax-sparse' : 'weightmax-dense';
      // Sparse above: the CSR gather in pieces of gatherChunk synapses, or (below <= 256 units, and
      // config gatherMode 'scatter') blocks of gatherChunk above units walked in storage order.
      let chunks = 1;
      let chunk = c.gatherChunk;
      let sum: { k: ChungRewardSumKernel; g: GPUBindGroup } | null = null;
      let target = B.reward;
      if (mode === 'weightmax-sparse' && c.gatherMode === 'scatter' && L.nOut <= SCATTER_MAX_UNITS) mode = 'weightmax-scatter';
      if (mode === 'weightmax-sparse') {
        const os = above!.outStart!;
        let maxOut = 0;
        for (let i = 0; i < L.nOut; i++) maxOut = Math.max(maxOut, os[i + 1]! - os[i]!);
        chunks = Math.max(1, Math.ceil(maxOut / chunk));
      } else if (mode === 'weightmax-scatter') {
        chunk = Math.max(1, Math.ceil(c.gatherChunk / above!.fanIn));
        chunks = Math.ceil(above!.nOut / chunk);
      }
      if (mode === 'weightmax-sparse' || mode === 'weightmax-scatter') {
        target = buf(`gather-partial${l}`, R * L.nOut * chunks * 4);
        const k = new ChungRewardSumKernel(ctx, { count: R * L.nOut, chunks, units: L.nOut }, mode === 'weightmax-sparse' ? 'pieces' : 'blocks');
        this.kernels.push(k);
        sum = { k, g: k.group({ partial: target, reward: B.reward }) };
      }
      let encodeReward: Encoder;
      if (mode === 'weightmax-scatter' && fused(l + 1)) {
        const fk = new ChungSgdScatterKernel(ctx, { replicas: R, units: L.nOut, aboveUnits: above!.nOut, aboveFanIn: above!.fanIn, chunks, chunk, p: c.weightMaxP, lr: c.lr[l + 1]! });
        const fg = fk.group({ aboveTheta: AB!.theta, aboveCharac: AB!.charac, aboveReward: AB!.reward, x: B.values, pre: AB!.pre, reward: target });
        this.kernels.push(fk);
        encodeReward = (pass) => fk.encode(pass, fg);
      } else {
        const rk = new ChungUnitRewardKernel(ctx, { replicas: R, units: L.nOut, aboveUnits: above?.nOut ?? 1, aboveFanIn: above?.fanIn ?? 0, chunks, chunk, p: c.weightMaxP }, mode, hw && mode === 'weightmax-dense');
        const rg = rk.group({
          aboveTheta: AB?.theta ?? ro, aboveCharac: AB?.charac ?? ro, aboveReward: AB?.reward ?? ro, x: l < out ? B.values : ro,
          outStart: AB?.outStart ?? ro, outSyn: (mode === 'weightmax-scatter' ? AB!.pre : AB?.outSyn) ?? ro, signal: this.signal, reward: target,
        });
        this.kernels.push(rk);
        encodeReward = (pass) => rk.encode(pass, rg);
      }
      const uk = new ChungParamUpdateKernel(ctx, {
        replicas: R, units: L.nOut, fanIn: L.fanIn, inDim: inDim(l), corrSteps: c.adamBiasCorrectionSteps, lr: c.lr[l]!, beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps,
      }, L.sparse, c.optimizer[l]!, hw || R * L.nOut < PER_PARAM_BELOW);
      const ug = uk.group({ theta: B.theta, mv: B.mv, pre: B.pre, x: input(l), charac: B.charac, reward: B.reward, corr, clock: this.clock.buffer });
      this.kernels.push(uk);
      const skipUpdate = fused(l); // done by the layer below's chung-sgd-scatter
      enc.push((pass) => {
        encodeReward(pass);
        if (sum) sum.k.encode(pass, sum.g);
        if (!skipUpdate) uk.encode(pass, ug);
      });
    }
    // 5. next input, 6. clock
    enc.push((pass) => draw.encode(pass, drawGroup));
    enc.push((pass) => this.clock.encodeTick(pass));
  }

  /** Device bytes this runner holds (buffers made through the context). */
  get deviceBytes(): number {
    return this.owned.reduce((s, b) => s + b.size, 0) + this.clock.buffer.size;
  }

  /** Draw the first inputs (episodes = 0) and zero the counters; call once before stepping. */
  reset(): void {
    const enc = this.ctx.device.createCommandEncoder({ label: 'chung-mux:reset' });
    enc.clearBuffer(this.episodes);
    enc.clearBuffer(this.sums);
    const pass = enc.beginComputePass({ label: 'chung-mux:reset' });
    this.resetEncoder(pass);
    pass.end();
    this.ctx.device.queue.submit([enc.finish()]);
  }

  /** Record `n` steps (n <= stepsPerSubmit) into `enc`, clearing the reward log first. */
  encodeSteps(enc: GPUCommandEncoder, n: number): void {
    if (n > this.c.stepsPerSubmit) throw new RangeError(`encodeSteps: n must be <= stepsPerSubmit (${this.c.stepsPerSubmit}), got ${n}`);
    if (this.step % this.c.stepsPerSubmit !== 0) throw new Error('encodeSteps: a partial chunk must be the last one');
    enc.clearBuffer(this.rewardLog);
    const pass = enc.beginComputePass({ label: 'chung-mux:steps' });
    for (let s = 0; s < n; s++) for (const e of this.stepEncoders) e(pass);
    pass.end();
    this.step += n;
  }

  /** Submit `n` steps (tests and the demo). */
  submitSteps(n: number): void {
    const enc = this.ctx.device.createCommandEncoder({ label: 'chung-mux:steps' });
    this.encodeSteps(enc, n);
    this.ctx.device.queue.submit([enc.finish()]);
  }

  /** Read a layer's state back (tests and the demo). */
  async readLayer(l: number): Promise<{ theta: Float32Array; mean: Float32Array; values: Float32Array; charac: Float32Array; reward: Float32Array; mv: Float32Array | null }> {
    const B = this.layers[l]!;
    return {
      theta: await readF32(this.ctx, B.theta),
      mean: await readF32(this.ctx, B.mean),
      values: await readF32(this.ctx, B.values),
      charac: await readF32(this.ctx, B.charac),
      reward: await readF32(this.ctx, B.reward),
      mv: this.c.optimizer[l] === 'adam' ? await readF32(this.ctx, B.mv) : null,
    };
  }

  async readEnv(): Promise<{ obs: Float32Array; target: Float32Array; signal: Float32Array; actions: Uint32Array; episodes: Uint32Array; sums: Int32Array }> {
    return {
      obs: await readF32(this.ctx, this.obs),
      target: await readF32(this.ctx, this.target),
      signal: await readF32(this.ctx, this.signal),
      actions: await readU32(this.ctx, this.actions),
      episodes: await readU32(this.ctx, this.episodes),
      sums: new Int32Array((await readU32(this.ctx, this.sums)).buffer),
    };
  }

  destroy(): void {
    for (const k of this.kernels) k.destroy();
    for (const b of this.owned) b.destroy();
  }
}
