import { DeviceClock } from '../kernels/clock.ts';
import { spikeSampleCpu, type SpikeLayout } from '../kernels/spike-sample-cpu.ts';
import { SpikeSampleKernel } from '../kernels/spike-sample.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import { entry, timeCpu, timeGpu, type BenchSuite } from './harness.ts';

/**
 * Spike sampling at R x N agents with fan-in K (dense inputs of K floats per replica): one step =
 * every agent reads K weights and K inputs, draws one uniform and writes a spike and a probability.
 */
export const spikeBench: BenchSuite = {
  name: 'spike-sample',
  async run(ctx, { quick, log }) {
    const K = 64;
    const configs = quick ? [{ R: 4, N: 1 << 14 }] : [{ R: 16, N: 1 << 16 }];
    const out = [];
    for (const { R, N } of configs) {
      const agents = R * N;
      log(`spike-sample: ${agents} agents (R=${R} x N=${N}), fan-in ${K}`);
      const S = K + N;
      const L: SpikeLayout = { replicas: R, neurons: N, fanIn: K, actStride: S, inOffset: 0, outOffset: K, probStride: N, probOffset: 0, agentStride: N, agentOffset: 0, seed: 1, stream: Stream.spike };
      const rng = new CounterRng(3, Stream.test);
      const theta = new Float32Array(R * (K + 1) * N);
      for (let i = 0; i < theta.length; i++) theta[i] = rng.range(-0.25, 0.25);
      const act = new Float32Array(R * S);
      for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) act[r * S + k] = rng.uniform() < 0.3 ? 1 : 0;
      const prob = new Float32Array(R * N);
      let step = 0;
      const cpu = timeCpu(() => spikeSampleCpu(L, theta, null, step++, act, prob), quick ? 0.2 : 2);
      const clock = new DeviceClock(ctx);
      const bufs = { theta: ctx.createBufferFrom('bench:theta', theta), fanInIndex: ctx.createBuffer('bench:idx', 16), clock: clock.buffer, act: ctx.createBufferFrom('bench:act', act), prob: ctx.createBuffer('bench:prob', R * N * 4) };
      const k = new SpikeSampleKernel(ctx, L, false);
      k.bind(bufs);
      try {
        const gpu = await timeGpu(ctx, (pass) => { k.encode(pass); clock.encodeTick(pass); }, quick ? 3 : 10);
        const bytes = agents * (K + 1) * 4 + agents * 8;
        const e = entry('spike-sample', { replicas: R, neurons: N, fanIn: K, agents }, agents, 'agent-steps', gpu, cpu, { bytesPerStep: bytes, gpuGBps: bytes / gpu.secondsPerStep / 1e9 });
        log(`  webgpu ${(e.gpu.itemsPerSecond / 1e6).toFixed(1)} M agent-steps/s, cpu twin ${(e.cpu.itemsPerSecond / 1e6).toFixed(1)} M/s, ratio ${e.gpuOverCpu.toFixed(2)}`);
        out.push(e);
      } finally {
        k.destroy();
        clock.destroy();
        for (const b of [bufs.theta, bufs.fanInIndex, bufs.act, bufs.prob]) b.destroy();
      }
    }
    return out;
  },
};
