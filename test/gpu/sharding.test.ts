import { describe, expect, it } from 'vitest';
import { randomFanIn } from '../../src/connectivity/fan-in.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { GpuLimitError } from '../../src/gpu/errors.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { readF32 } from '../../src/gpu/readback.ts';
import { planShards } from '../../src/gpu/shard.ts';
import { DeviceClock } from '../../src/kernels/clock.ts';
import { ShardedSpikeLayer } from '../../src/kernels/sharded-spike-layer.ts';
import type { SpikeLayout } from '../../src/kernels/spike-sample-cpu.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';

/**
 * A seeded 3-layer sparse network (64 inputs -> 3000 -> 2000 -> 700), run for several steps with the
 * engine's buffer cap at `cap` bytes; returns the final activity and probability rows.
 */
async function runNetwork(ctx: GpuContext): Promise<{ act: Float32Array; prob: Float32Array; shards: number[]; theta: Float32Array }> {
  const R = 3,
    IN = 64;
  const sizes = [3000, 2000, 700],
    fan = [16, 32, 24];
  const S = IN + sizes.reduce((a, b) => a + b, 0),
    P = S - IN;
  const rng = new CounterRng(21, Stream.test);
  const act0 = new Float32Array(R * S);
  for (let r = 0; r < R; r++) for (let j = 0; j < IN; j++) act0[r * S + j] = rng.uniform() < 0.5 ? 1 : 0;
  const clock = new DeviceClock(ctx, 9);
  const act = ctx.createBufferFrom('act', act0);
  const prob = ctx.createBuffer('prob', R * P * 4);
  const layers: ShardedSpikeLayer[] = [];
  let inOff = 0,
    outOff = IN;
  for (let l = 0; l < 3; l++) {
    const N = sizes[l]!,
      K = fan[l]!,
      pre = l === 0 ? IN : sizes[l - 1]!;
    const fanIn = randomFanIn(100 + l, N, K, pre);
    const theta = Float32Array.from({ length: R * (K + 1) * N }, () => rng.range(-1, 1));
    const L: SpikeLayout = {
      replicas: R,
      neurons: N,
      fanIn: K,
      actStride: S,
      inOffset: inOff,
      outOffset: outOff,
      probStride: P,
      probOffset: outOff - IN,
      agentStride: P,
      agentOffset: outOff - IN,
      seed: 5,
      stream: Stream.spike,
    };
    layers.push(new ShardedSpikeLayer(ctx, L, fanIn, theta));
    inOff = outOff;
    outOff += N;
  }
  try {
    const groups = layers.map((l) => l.groups({ act, prob, clock: clock.buffer }));
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let s = 0; s < 5; s++) {
      layers.forEach((l, i) => l.encode(pass, groups[i]!));
      clock.encodeTick(pass);
    }
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    return { act: await readF32(ctx, act), prob: await readF32(ctx, prob), shards: layers.map((l) => l.shards.length), theta: await layers[1]!.readTheta() };
  } finally {
    for (const l of layers) l.destroy();
    clock.destroy();
    act.destroy();
    prob.destroy();
  }
}

describe('sharding over buffer limits', () => {
  it('gives bit-identical results with an artificially low buffer cap and with none', async () => {
    const full = await createNodeGpu();
    const tiny = await createNodeGpu({ maxBufferBytes: 128 * 1024 });
    try {
      const a = await runNetwork(full);
      const b = await runNetwork(tiny);
      expect(a.shards).toEqual([1, 1, 1]);
      expect(b.shards.every((n) => n > 1)).toBe(true);
      expect(b.act).toEqual(a.act);
      expect(b.prob).toEqual(a.prob);
      expect(b.theta).toEqual(a.theta);
      // The network really spikes: neither all-zero nor all-one.
      const spikes = a.act.reduce((x, y) => x + y, 0);
      expect(spikes).toBeGreaterThan(a.act.length * 0.1);
      expect(spikes).toBeLessThan(a.act.length * 0.9);
    } finally {
      full.destroy();
      tiny.destroy();
    }
  });

  it('plans shards under the cap and names the limit when one item cannot fit', () => {
    const s = planShards(1000, 100, 10_000, 16);
    expect(s.every((x) => x.count * 100 <= 10_000)).toBe(true);
    expect(s.reduce((a, x) => a + x.count, 0)).toBe(1000);
    expect(() => planShards(10, 1 << 20, 1 << 10)).toThrow(GpuLimitError);
    expect(() => planShards(10, 1 << 20, 1 << 10)).toThrow(/maxBufferBytes is 1024/);
  });
});
