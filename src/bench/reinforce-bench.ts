import { reinforceUpdateCpu, type UpdateLayout } from '../kernels/reinforce-cpu.ts';
import { REINFORCE_UPDATE } from '../kernels/reinforce.ts';
import { cpuUnits, fillUniform, shardUnits, type BenchSuite } from './harness.ts';

/** Inputs per neuron: the CartPole hidden layer reads the 4 observations. */
const FAN_IN = 4;
/** Neuron-agents per replica (one hidden layer). */
const NEURONS = 64;
/** Every replica's episode is this long and has just ended, so every invocation does the full update. */
const EPISODE = 16;

/**
 * The per-neuron policy update (shaders/reinforce-update.wgsl) of `size` neuron-agents: 64 per
 * replica, fan-in 4, every replica's 16-step episode just ended (terminated flag set, steps = 16),
 * so each step is a full REINFORCE + Adam update of every agent: the worst case of the learner's
 * step. The flags stay set, so every timed step repeats the full update. Trajectory slots are
 * [inputs K | spikes N | probabilities N]; replicas shard when the trajectories pass the buffer cap.
 */
export const reinforceBench: BenchSuite = {
  name: 'reinforce-update',
  unit: 'agent-updates',
  setup(ctx, size) {
    const K = FAN_IN,
      T = EPISODE;
    const N = Math.min(size, NEURONS);
    const R = Math.ceil(size / N);
    const W = K + 2 * N;
    const layout = (replicas: number): UpdateLayout => ({
      replicas,
      neurons: N,
      fanIn: K,
      horizon: T,
      rowWidth: W,
      inCol: 0,
      spikeCol: K,
      probCol: K + N,
      writeMetrics: 0,
      metricsCap: 1,
      gamma: 0.99,
      lr: 0.03,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    });
    // The largest per-replica buffer is the trajectory (adam is 2 (K+1) N floats, smaller here).
    const shards = shardUnits(ctx, R, Math.max(T * W, 2 * (K + 1) * N) * 4);
    const Rc = cpuUnits(R, N);
    const Rmax = Math.max(shards[0]!, Rc);

    // Host data for the largest shard; every shard uploads a prefix, the CPU twin uses one too.
    const traj = new Float32Array(Rmax * T * W);
    fillUniform(traj, 0, 1, 11);
    for (let i = 0; i < traj.length; i++) {
      const col = i % W;
      if (col < K)
        traj[i] = traj[i]! * 0.2 - 0.1; // observations
      else if (col < K + N)
        traj[i] = traj[i]! < 0.5 ? 1 : 0; // spikes
      else traj[i] = 0.05 + 0.9 * traj[i]!; // probabilities
    }
    const rewards = new Float32Array(Rmax * T).fill(1);
    const theta = fillUniform(new Float32Array(Rmax * (K + 1) * N), -0.25, 0.25, 13);
    const counters = (replicas: number) => {
      const c = new Uint32Array(5 * replicas);
      c.fill(T, 0, replicas); // steps: the episode's length
      c.fill(1, replicas, 2 * replicas); // episodes
      c.fill(1, 3 * replicas, 4 * replicas); // terminated
      return c;
    };

    const parts = shards.map((Rs, s) => {
      const k = REINFORCE_UPDATE.gpu!(ctx, { update: layout(Rs), sparse: false });
      const bufs = {
        counters: ctx.createBufferFrom(`bench:rf-counters-${s}`, counters(Rs)),
        traj: ctx.createBufferFrom(`bench:rf-traj-${s}`, traj.subarray(0, Rs * T * W)),
        rewards: ctx.createBufferFrom(`bench:rf-rewards-${s}`, rewards.subarray(0, Rs * T)),
        theta: ctx.createBufferFrom(`bench:rf-theta-${s}`, theta.subarray(0, Rs * (K + 1) * N)),
        adam: ctx.createBuffer(`bench:rf-adam-${s}`, 2 * Rs * (K + 1) * N * 4),
        adamStep: ctx.createBuffer(`bench:rf-adamstep-${s}`, Rs * N * 4),
        metrics: ctx.createBuffer(`bench:rf-metrics-${s}`, 16),
        fanInIndex: ctx.createBuffer(`bench:rf-dense-${s}`, 16),
      };
      return { k, bufs, group: k.group(bufs, 'main') };
    });

    const cpuL = layout(Rc);
    const cpu = {
      counters: counters(Rc),
      traj: traj.subarray(0, Rc * T * W),
      rewards: rewards.subarray(0, Rc * T),
      theta: theta.slice(0, Rc * (K + 1) * N),
      adam: new Float32Array(2 * Rc * (K + 1) * N),
      adamStep: new Uint32Array(Rc * N),
      metrics: new Uint32Array(4),
    };
    const agents = R * N;
    return {
      config: { replicas: R, neurons: N, fanIn: K, episodeSteps: T, agents, shards: shards.length },
      itemsPerStep: agents,
      // Per agent: its spike and probability columns over the episode, theta read + write, Adam m
      // and v read + write, its Adam step count read + write. Per replica: rewards, input columns,
      // the three counters the kernel reads.
      bytesPerStep: agents * (8 * T + 24 * (K + 1) + 8) + R * (4 * T + 4 * T * K + 12),
      cpuItems: Rc * N,
      encode(pass) {
        for (const p of parts) p.k.encode(pass, p.group);
      },
      cpuStep: () => reinforceUpdateCpu(cpuL, cpu.counters, cpu.traj, cpu.rewards, cpu.theta, cpu.adam, cpu.adamStep, cpu.metrics),
      destroy() {
        for (const p of parts) {
          p.k.destroy();
          for (const b of Object.values(p.bufs)) b.destroy();
        }
      },
    };
  },
};
