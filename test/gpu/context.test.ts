import { describe, expect, it } from 'vitest';
import { GpuDeviceLostError, GpuKernelError, GpuLimitError } from '../../src/gpu/errors.ts';
import { dispatchGrid } from '../../src/gpu/kernel.ts';
import { createNodeGpu } from '../../src/gpu/node.ts';
import { ParamsLayout } from '../../src/gpu/params.ts';
import { SpikeSampleKernel } from '../../src/kernels/spike-sample.ts';

describe('GpuContext', () => {
  it('requests the adapter’s real limits, not the WebGPU defaults', async () => {
    const ctx = await createNodeGpu();
    try {
      expect(ctx.limits.maxStorageBufferBindingSize).toBeGreaterThan(128 * 1024 * 1024);
      expect(ctx.maxBufferBytes).toBeLessThanOrEqual(512 * 1024 * 1024);
    } finally {
      ctx.destroy();
    }
  });

  it('rejects a buffer beyond the cap before allocating, naming the limit and the size', async () => {
    const ctx = await createNodeGpu({ maxBufferBytes: 1 << 20 });
    try {
      expect(() => ctx.createBuffer('big', (1 << 20) + 4)).toThrow(GpuLimitError);
      expect(() => ctx.createBuffer('big', (1 << 20) + 4)).toThrow("buffer 'big' needs 1048580 but the adapter's maxBufferBytes (engine cap) is 1048576");
      expect(
        () =>
          new SpikeSampleKernel(
            ctx,
            { replicas: 1 << 12, neurons: 1 << 12, fanIn: 1 << 9, actStride: 1, inOffset: 0, outOffset: 0, probStride: 1, probOffset: 0, agentStride: 1, agentOffset: 0, seed: 0, stream: 0 },
            false,
          ),
      ).toThrow(/< 2\^32/);
    } finally {
      ctx.destroy();
    }
    await expect(createNodeGpu({ maxBufferBytes: 64 * 1024 * 1024 * 1024 })).rejects.toThrow(/maxBufferBytes option needs/);
  });

  it('turns a validation error into an error naming the scope', async () => {
    const ctx = await createNodeGpu({ debug: true });
    try {
      const b = ctx.createBuffer('x', 64);
      await expect(ctx.scoped('my-kernel', () => ctx.device.queue.writeBuffer(b, 3, new Uint8Array(4)))).rejects.toThrow(GpuKernelError);
      await expect(ctx.scoped('my-kernel', () => ctx.device.queue.writeBuffer(b, 3, new Uint8Array(4)))).rejects.toThrow(/^my-kernel: validation error/);
    } finally {
      ctx.destroy();
    }
  });

  it('reports a lost device and refuses further work with GpuDeviceLostError', async () => {
    let seen: GpuDeviceLostError | undefined;
    const ctx = await createNodeGpu({ onLost: (e) => (seen = e) });
    ctx.device.destroy();
    await ctx.device.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toBeInstanceOf(GpuDeviceLostError);
    expect(() => ctx.createBuffer('after', 16)).toThrow(GpuDeviceLostError);
  });

  it('folds large 1-D grids into y within maxComputeWorkgroupsPerDimension', async () => {
    const ctx = await createNodeGpu();
    try {
      const max = ctx.limits.maxComputeWorkgroupsPerDimension!;
      expect(dispatchGrid(ctx, 1000)).toEqual([16, 1]);
      const [x, y] = dispatchGrid(ctx, 64 * max * 3 + 1);
      expect(x).toBeLessThanOrEqual(max);
      expect(x * y * 64).toBeGreaterThanOrEqual(64 * max * 3 + 1);
    } finally {
      ctx.destroy();
    }
  });

  it('checks a params struct against its WGSL declaration', async () => {
    const ctx = await createNodeGpu();
    try {
      expect(() => new ParamsLayout('SpikeParams', { replicas: 'u32', neurons: 'f32' }).checkAgainst('spike-sample')).toThrow(/struct SpikeParams is/);
      expect(() => new ParamsLayout('Nope', { a: 'u32' }).checkAgainst('spike-sample')).toThrow(/does not declare struct Nope/);
    } finally {
      ctx.destroy();
    }
  });
});

describe('allocation failures', () => {
  it('are caught by the out-of-memory scope and name the buffer (SwiftShader fails at exactly 1 GiB)', async () => {
    const ctx = await createNodeGpu({ maxBufferBytes: 1 << 30 });
    try {
      ctx.createBuffer('fits', 1 << 20);
      await expect(ctx.checkAllocations()).resolves.toBeUndefined();
      const huge = ctx.createBuffer('one-gibibyte', 1 << 30);
      const result = ctx.checkAllocations().then(
        () => 'allocated',
        (e: Error) => e.message,
      );
      const msg = await result;
      huge.destroy();
      // A real GPU may well allocate 1 GiB; SwiftShader cannot, and must then say so by name.
      if (ctx.summary().isFallbackAdapter) expect(msg).toMatch(/^buffer 'one-gibibyte' \(1073741824 bytes\): out-of-memory error/);
      else expect(msg === 'allocated' || /^buffer 'one-gibibyte'/.test(msg)).toBe(true);
    } finally {
      ctx.destroy();
    }
  });
});

describe('memory accounting', () => {
  it('counts live buffer bytes and forgets destroyed buffers', async () => {
    const ctx = await createNodeGpu();
    try {
      const base = ctx.liveBufferBytes;
      const a = ctx.createBuffer('a', 1000);
      const b = ctx.createBuffer('b', 4096);
      expect(ctx.liveBufferBytes - base).toBe(1000 + 4096);
      a.destroy();
      expect(ctx.liveBufferBytes - base).toBe(4096);
      b.destroy();
      expect(ctx.liveBufferBytes).toBe(base);
      expect(ctx.peakBufferBytes - base).toBeGreaterThanOrEqual(5096);
    } finally {
      ctx.destroy();
    }
  });
});
