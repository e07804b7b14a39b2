import { CartPoleGpu } from '../envs/cartpole-gpu.ts';
import type { GpuContext } from '../gpu/context.ts';
import type { ParamsBuffer } from '../gpu/params.ts';
import { readF32, readU32 } from '../gpu/readback.ts';
import { DeviceClock } from '../kernels/clock.ts';
import { OttKernel, ottParamsBuffer, type OTT_PARAMS } from '../kernels/ott.ts';
import type { OttConfig } from './config.ts';
import { initOttParams } from './cpu-runner.ts';
import { OTT_LOG_CAP, RS, RS_FIELDS, ottNetwork, ottParamValues, type OttNetwork } from './network.ts';
import { OTT_TERM_COUNT } from './rewards.ts';

/**
 * The Ott training step on the GPU, in OttCpuRunner's order, all in one compute pass:
 * step-begin -> forward (one dispatch per layer) -> record -> CartPole -> layer fractions ->
 * rewards -> replica-step -> returns -> gradients -> Adam -> episode-end -> clock tick.
 * The update kernels run every step and do work only for replicas whose episode just ended, so
 * each replica learns at its own episode end and nothing waits. No readback inside; the episode
 * log is read through a ring by the training loop.
 */
export class OttGpuRunner {
  readonly net: OttNetwork;
  readonly env: CartPoleGpu;
  readonly clock: DeviceClock;
  readonly buffers: Record<string, GPUBuffer>;
  private readonly owned: GPUBuffer[] = [];
  private readonly destroyables: { destroy(): void }[] = [];
  private readonly record: (pass: GPUComputePassEncoder) => void;
  private readonly resetPass: (pass: GPUComputePassEncoder) => void;
  stepCount = 0;

  constructor(
    readonly ctx: GpuContext,
    readonly config: OttConfig,
  ) {
    const net = (this.net = ottNetwork(config));
    const { R, N, S, NL, P, Tmax, c } = net;
    const buf = (label: string, bytes: number) => {
      const b = ctx.createBuffer(`ott:${label}`, Math.max(bytes, 16));
      this.owned.push(b);
      return b;
    };
    const from = (label: string, data: ArrayBufferView) => {
      const b = ctx.createBufferFrom(`ott:${label}`, data);
      this.owned.push(b);
      return b;
    };
    this.env = new CartPoleGpu(ctx, R);
    this.clock = new DeviceClock(ctx, 0);
    this.destroyables.push(this.env, this.clock);
    const rs = new Uint32Array(R * RS_FIELDS);
    for (let r = 0; r < R; r++) {
      rs[RS.episode * R + r] = 1;
      rs[RS.mode * R + r] = net.modes[r]!;
    }
    const theta = initOttParams(net);
    const b: Record<string, GPUBuffer> = (this.buffers = {
      counters: this.env.counters,
      envReward: this.env.reward,
      clock: this.clock.buffer,
      obs: buf('obs', R * 4 * 4),
      wiring: from('wiring', net.wiring),
      rs: from('rs', rs),
      rf: buf('rf', R * net.rfFields * 4),
      signals: buf('signals', R * S * 4),
      probs: buf('probs', R * N * 4),
      hist: buf('hist', R * Tmax * S * 4),
      rewardHist: buf('reward-hist', R * Tmax * N * 4),
      fractions: buf('fractions', R * NL * 4),
      terms: buf('terms', (OTT_TERM_COUNT + 1) * R * N * 4),
      theta: from('theta', theta),
      grads: buf('grads', theta.byteLength),
      m: buf('adam-m', theta.byteLength),
      v: buf('adam-v', theta.byteLength),
      window: buf('window', R * c.solveWindow * 4),
      log: buf('log', (R + R * OTT_LOG_CAP * net.recWidth) * 4),
    });
    b.returns = b.rewardHist;
    const sizes = { replicas: R, neurons: N, signalSize: S, paramsPerNeuron: P };
    const pb = (label: string, nStart = 0, nEnd = 0): ParamsBuffer<typeof OTT_PARAMS.fields> => {
      const p = ottParamsBuffer(ctx, ottParamValues(net, nStart, nEnd), `ott:${label}`);
      this.destroyables.push(p);
      return p;
    };
    const main = pb('params');
    const k = (name: ConstructorParameters<typeof OttKernel>[1]) => new OttKernel(ctx, name, sizes);
    const pol = c.policy;
    const begin = k('ott-step-begin');
    const fwd = k(pol === 'mlp' ? 'ott-mlp-forward' : 'ott-logistic-forward');
    const rec = k('ott-record');
    const frac = k('ott-layer-fraction');
    const rew = k('ott-rewards');
    const rstep = k('ott-replica-step');
    const ret = k('ott-returns');
    const grad = k(pol === 'mlp' ? 'ott-mlp-grad' : 'ott-logistic-grad');
    const adam = k('ott-adam');
    const end = k('ott-episode-end');
    const w = net.w;
    const layerGroups = Array.from({ length: NL }, (_, l) => {
      const a = w.layerStart[l]!;
      const z = w.layerStart[l + 1]!;
      return { width: z - a, group: fwd.group(pb(`layer-${l}`, a, z), b, `layer-${l}`) };
    });
    const g = {
      begin: begin.group(main, b), rec: rec.group(main, b), frac: frac.group(main, b), rew: rew.group(main, b),
      rstep: rstep.group(main, b), ret: ret.group(main, b), grad: grad.group(main, b), adam: adam.group(main, b), end: end.group(main, b),
    };
    const envBind = this.env.binding({ buffer: b.signals, stride: S, offset: S - 1 }, { buffer: b.obs, stride: 4, offset: 0 });
    this.env.setSeed(c.seed);
    this.record = (pass) => {
      begin.encode(pass, g.begin);
      for (const l of layerGroups) fwd.encode(pass, l.group, l.width);
      rec.encode(pass, g.rec);
      this.env.encodeStep(pass, envBind);
      frac.encode(pass, g.frac);
      rew.encode(pass, g.rew);
      rstep.encode(pass, g.rstep);
      ret.encode(pass, g.ret);
      grad.encode(pass, g.grad);
      adam.encode(pass, g.adam);
      end.encode(pass, g.end);
      this.clock.encodeTick(pass);
    };
    this.resetPass = (pass) => this.env.encodeReset(pass, envBind);
  }

  /** Record the initial reset (once, first). */
  encodeReset(pass: GPUComputePassEncoder): void {
    this.resetPass(pass);
  }

  /** Record n env steps into the pass. */
  encodeSteps(pass: GPUComputePassEncoder, n: number): void {
    for (let s = 0; s < n; s++) this.record(pass);
    this.stepCount += n;
  }

  /** One-shot reads for tests and the demo. */
  readF32(name: string): Promise<Float32Array> {
    return readF32(this.ctx, this.buffers[name]!);
  }
  readU32(name: string): Promise<Uint32Array> {
    return readU32(this.ctx, this.buffers[name]!);
  }

  destroy(): void {
    for (const d of this.destroyables) d.destroy();
    for (const x of this.owned) x.destroy();
  }
}
