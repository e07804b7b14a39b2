import { CartPoleCpu } from '../../envs/cartpole.ts';
import { reinforceRecordCpu, reinforceUpdateCpu } from '../../kernels/reinforce-cpu.ts';
import { spikeSampleCpu } from '../../kernels/spike-sample-cpu.ts';
import type { CartpoleReinforceConfig } from './config.ts';
import { HORIZON, METRICS_CAP, cartpoleNetwork, initTheta, type CartpoleNetwork } from './network.ts';

/**
 * The CPU twin of the whole training step: the same kernels' twins in the same order as the GPU
 * runner (spike layers, env step, record, per-layer update, clock tick), ping-ponging activity rows.
 */
export class CartpoleReinforceCpuRunner {
  readonly net: CartpoleNetwork;
  readonly theta: Float32Array[];
  readonly adam: Float32Array[];
  readonly adamStep: Uint32Array[];
  readonly env: CartPoleCpu;
  readonly metrics: Uint32Array;
  private act: [Float32Array, Float32Array];
  private readonly prob: Float32Array;
  private readonly traj: Float32Array;
  private readonly rewards: Float32Array;
  private readonly counters: Uint32Array;
  private readonly actions: Uint8Array;
  clock = 0;
  private parity = 0;

  constructor(readonly config: CartpoleReinforceConfig) {
    const net = (this.net = cartpoleNetwork(config));
    const { R, S, P, W } = net;
    this.theta = net.layers.map((l, i) => initTheta(config.seed, i, R, l.spike.fanIn, l.spike.neurons));
    this.adam = this.theta.map((t) => new Float32Array(2 * t.length));
    this.adamStep = net.layers.map((l) => new Uint32Array(R * l.spike.neurons));
    this.env = new CartPoleCpu(R);
    this.metrics = new Uint32Array(R + R * METRICS_CAP);
    this.act = [new Float32Array(R * S), new Float32Array(R * S)];
    this.prob = new Float32Array(R * P);
    this.traj = new Float32Array(R * HORIZON * W);
    this.rewards = new Float32Array(R * HORIZON);
    this.counters = new Uint32Array(5 * R);
    this.actions = new Uint8Array(R);
    const obs = this.env.reset(config.seed);
    for (let r = 0; r < R; r++) for (let c = 0; c < 4; c++) this.act[0][r * S + c] = obs[r * 4 + c]!;
  }

  /** Advance every replica by n env steps. */
  steps(n: number): void {
    const { R, S, layers, record, actionCol } = this.net;
    const env = this.env, cnt = this.counters;
    for (let s = 0; s < n; s++) {
      const cur = this.act[this.parity]!, nxt = this.act[1 - this.parity]!;
      layers.forEach((l, i) => spikeSampleCpu(l.spike, this.theta[i]!, null, this.clock, cur, this.prob));
      for (let r = 0; r < R; r++) this.actions[r] = cur[r * S + actionCol]! > 0.5 ? 1 : 0;
      env.step(this.actions);
      for (let r = 0; r < R; r++) {
        cnt[r] = env.steps[r]!;
        cnt[R + r] = env.episodes[r]!;
        cnt[2 * R + r] = env.autoresetPending[r]!;
        cnt[3 * R + r] = env.terminated[r]!;
        cnt[4 * R + r] = env.truncated[r]!;
        nxt[r * S] = env.x[r]!;
        nxt[r * S + 1] = env.xDot[r]!;
        nxt[r * S + 2] = env.theta[r]!;
        nxt[r * S + 3] = env.thetaDot[r]!;
      }
      reinforceRecordCpu(record, cnt, cur, this.prob, env.reward, this.traj, this.rewards);
      layers.forEach((l, i) => reinforceUpdateCpu(l.update, cnt, this.traj, this.rewards, this.theta[i]!, this.adam[i]!, this.adamStep[i]!, this.metrics));
      this.clock++;
      this.parity = 1 - this.parity;
    }
  }
}
