/**
 * The CPU twin of the GPU runner: src/chung's reference kernels called in the trainer's order for
 * the multiplexer (trainChung's multiplexer loop, with per-layer fan-in and optimiser).
 */
import { adamStep, type AdamOptions } from '../../chung/adam.ts';
import { hiddenForward, softmaxForward } from '../../chung/forward.ts';
import { accumulateTrace, broadcastReward, layerUpdate, reinforceCharac, weightMaxReward } from '../../chung/learning.ts';
import { createNet, layerInput, MULTIPLEXER_OUTPUT_FAN_OUT, type Layer, type Net } from '../../chung/network.ts';
import { MultiplexerCpu } from '../../envs/multiplexer.ts';
import type { ChungMuxConfig } from './config.ts';

/** Kernel `sgd_step` twin (OPT 1 of chung-param-update): param += lr * g, in f32. */
export function sgdStep(param: Float32Array, g: Float32Array, lr: number): void {
  const f = Math.fround;
  const l = f(lr);
  for (let i = 0; i < param.length; i++) param[i] = f(param[i]! + f(l * g[i]!));
}

export class ChungMuxCpuRunner {
  readonly env: MultiplexerCpu;
  readonly net: Net;
  readonly obs: Float32Array;
  readonly actions: Uint32Array;
  readonly signal: Float32Array;
  readonly adam: AdamOptions;
  /** Steps taken (= the next step's clock). */
  step = 0;

  constructor(readonly c: ChungMuxConfig) {
    this.env = new MultiplexerCpu(c.replicas, c.addressBits);
    const specs = [
      ...c.hidden.map((size, l) => ({ kind: 'bernoulli' as const, size, temp: c.temp[l], fanIn: c.fanIn[l] })),
      { kind: 'softmax' as const, size: 2, temp: c.temp[c.hidden.length], initFanOut: MULTIPLEXER_OUTPUT_FAN_OUT },
    ];
    this.net = createNet(c.replicas, this.env.obsDim, specs, c.seed);
    // buildHostNet's bias shift (config biasInit), added to the same draws in f32.
    this.net.layers.forEach((L, l) => {
      const shift = c.biasInit?.[l] ?? 0;
      if (shift !== 0) for (let i = 0; i < L.b.length; i++) L.b[i] = Math.fround(L.b[i]! + shift);
    });
    this.obs = this.env.reset(c.seed);
    this.actions = new Uint32Array(c.replicas);
    this.signal = new Float32Array(c.replicas);
    this.adam = { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps, biasCorrectionSteps: c.adamBiasCorrectionSteps };
  }

  /** One episode of every replica; returns the rewards (the signal). */
  runStep(): Float32Array {
    const { net, c } = this;
    const Ls = net.layers;
    const R = c.replicas;
    const out = Ls.length - 1;
    const ep = this.step;
    net.input.set(this.obs);
    for (let l = 0; l < out; l++) hiddenForward(Ls[l]!, layerInput(net, l), R, net.agentsPerReplica, c.seed, ep);
    softmaxForward(Ls[out]!, layerInput(net, out), R, net.agentsPerReplica, c.seed, ep, this.actions);
    this.env.stepBandit(this.actions);
    this.env.observations(this.obs);
    this.signal.set(this.env.reward);
    for (let l = 0; l <= out; l++) {
      reinforceCharac(Ls[l]!, R);
      accumulateTrace(Ls[l]!, layerInput(net, l), Ls[l]!.charac, R, 0);
    }
    const wm = c.rule === 'weightmax';
    for (let l = out; l >= 0; l--) {
      const L: Layer = Ls[l]!;
      if (l === out || !wm) broadcastReward(L, this.signal, R);
      layerUpdate(L, R);
      if (c.optimizer[l] === 'sgd') {
        sgdStep(L.w, L.uW, c.lr[l]!);
        sgdStep(L.b, L.uB, c.lr[l]!);
      } else {
        adamStep(L.w, L.uW, L.mW, L.vW, c.lr[l]!, ep + 1, this.adam);
        adamStep(L.b, L.uB, L.mB, L.vB, c.lr[l]!, ep + 1, this.adam);
      }
      if (l > 0 && wm) weightMaxReward(L, Ls[l - 1]!, R, c.weightMaxP);
    }
    this.step++;
    return this.signal;
  }
}
