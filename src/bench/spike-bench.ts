import { DeviceClock } from '../kernels/clock.ts';
import { spikeSampleCpu, type SpikeLayout } from '../kernels/spike-sample-cpu.ts';
import { SpikeSampleKernel } from '../kernels/spike-sample.ts';
import { Stream } from '../rng/counter-rng.ts';
import { cpuUnits, fillUniform, shardUnits, type BenchSuite } from './harness.ts';

const FAN_IN = 64;
/** Neurons per replica; sizes past this add replicas (size = replicas x neurons). */
const MAX_NEURONS = 1 << 16;

/**
 * Spike sampling of `size` Bernoulli-logistic agents with dense fan-in 64: one step = every agent
 * reads its 65 weights and its replica's 64 inputs, draws one uniform, writes a spike and a
 * probability. Past 512 MiB of weights the replicas are split into shards, one kernel each, so the
 * 2^22 case (1.1 GB of weights) fits the per-buffer cap.
 */
export const spikeBench: BenchSuite = {
  name: 'spike-sample',
  unit: 'agent-steps',
  setup(ctx, size) {
    const K = FAN_IN;
    const N = Math.min(size, MAX_NEURONS);
    const R = Math.ceil(size / N);
    const S = K + N;
    const thetaPerReplica = (K + 1) * N;
    const layout = (replicas: number, firstReplica: number): SpikeLayout => ({
      replicas,
      neurons: N,
      fanIn: K,
      actStride: S,
      inOffset: 0,
      outOffset: K,
      probStride: N,
      probOffset: 0,
      agentStride: N,
      agentOffset: firstReplica * N,
      seed: 1,
      stream: Stream.spike,
    });
    const shards = shardUnits(ctx, R, thetaPerReplica * 4);
    const Rc = cpuUnits(R, N);
    // One host copy of the largest shard's weights serves every shard and the CPU twin (a prefix).
    const theta = fillUniform(new Float32Array(Math.max(shards[0]!, Rc) * thetaPerReplica), -0.25, 0.25, 3);
    const act = new Float32Array(Math.max(shards[0]!, Rc) * S);
    fillUniform(act, 0, 1, 5).forEach((u, i) => (act[i] = i % S < K && u < 0.3 ? 1 : 0));

    const clock = new DeviceClock(ctx);
    const fanInIndex = ctx.createBuffer('bench:spike-idx', 16);
    const parts = shards.map((Rs, s) => {
      const first = shards.slice(0, s).reduce((a, b) => a + b, 0);
      const k = new SpikeSampleKernel(ctx, layout(Rs, first), false);
      const bufs = {
        theta: ctx.createBufferFrom(`bench:spike-theta-${s}`, theta.subarray(0, Rs * thetaPerReplica)),
        act: ctx.createBufferFrom(`bench:spike-act-${s}`, act.subarray(0, Rs * S)),
        prob: ctx.createBuffer(`bench:spike-prob-${s}`, Rs * N * 4),
      };
      k.bind({ ...bufs, fanInIndex, clock: clock.buffer });
      return { k, bufs };
    });

    const cpuL = layout(Rc, 0);
    const cpuTheta = theta.subarray(0, Rc * thetaPerReplica);
    const cpuAct = act.subarray(0, Rc * S);
    const cpuProb = new Float32Array(Rc * N);
    let step = 0;
    const agents = R * N;
    return {
      config: { replicas: R, neurons: N, fanIn: K, agents, shards: shards.length },
      itemsPerStep: agents,
      // Weights and bias per agent, the spike and probability it writes, its replica's inputs once.
      bytesPerStep: agents * (K + 1) * 4 + agents * 8 + R * K * 4,
      cpuItems: Rc * N,
      encode(pass) {
        for (const p of parts) p.k.encode(pass);
        clock.encodeTick(pass);
      },
      cpuStep: () => spikeSampleCpu(cpuL, cpuTheta, null, step++, cpuAct, cpuProb),
      destroy() {
        for (const p of parts) {
          p.k.destroy();
          for (const b of Object.values(p.bufs)) b.destroy();
        }
        fanInIndex.destroy();
        clock.destroy();
      },
    };
  },
};
