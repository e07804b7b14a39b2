import type { GpuContext } from './context.ts';

/**
 * Read a buffer (or a byte range of it) back to the CPU once: tests and final results. The staging
 * buffer is destroyed in `finally`, whatever happens.
 */
export async function readBuffer(ctx: GpuContext, src: GPUBuffer, byteOffset = 0, byteLength = src.size - byteOffset): Promise<ArrayBuffer> {
  ctx.checkHealthy();
  const staging = ctx.device.createBuffer({ label: `read:${src.label}`, size: byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = ctx.device.createCommandEncoder({ label: `read:${src.label}` });
    enc.copyBufferToBuffer(src, byteOffset, staging, 0, byteLength);
    ctx.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = staging.getMappedRange().slice(0);
    staging.unmap();
    return out;
  } finally {
    staging.destroy();
  }
}

export async function readF32(ctx: GpuContext, src: GPUBuffer, offset = 0, count?: number): Promise<Float32Array> {
  return new Float32Array(await readBuffer(ctx, src, offset * 4, (count ?? src.size / 4 - offset) * 4));
}

export async function readU32(ctx: GpuContext, src: GPUBuffer, offset = 0, count?: number): Promise<Uint32Array> {
  return new Uint32Array(await readBuffer(ctx, src, offset * 4, (count ?? src.size / 4 - offset) * 4));
}

/** One region to copy in a readback: a byte range of a device buffer. */
export interface ReadbackRegion {
  buffer: GPUBuffer;
  byteOffset?: number;
  byteLength: number;
}

/**
 * A ring of MAP_READ staging buffers for metrics. `request()` appends copies to a command encoder
 * the caller is about to submit, and after the submit `commit()` maps the staging buffer in the
 * background; the callback receives the bytes and the buffer returns to the ring. The training loop
 * never awaits a readback unless every staging buffer is in flight (`waitForSlot`), which bounds how
 * far the GPU can run ahead of the metrics.
 */
export class ReadbackRing {
  private readonly free: GPUBuffer[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly totalBytes: number;
  private error: unknown;

  constructor(
    private readonly ctx: GpuContext,
    readonly regions: ReadbackRegion[],
    readonly slots = 3,
    label = 'metrics',
  ) {
    this.totalBytes = regions.reduce((s, r) => s + r.byteLength, 0);
    for (let i = 0; i < slots; i++) {
      this.free.push(ctx.device.createBuffer({ label: `${label}-staging-${i}`, size: Math.max(4, this.totalBytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
    }
  }

  /** True when a staging buffer is free for `request`. */
  get hasSlot(): boolean {
    return this.free.length > 0;
  }

  /** Await until a staging buffer is free (only when the GPU is `slots` readbacks ahead). */
  async waitForSlot(): Promise<void> {
    while (!this.free.length && this.inflight.size) await Promise.race(this.inflight);
    if (this.error) throw this.error;
  }

  /** Record copies of all regions into `enc`; returns a token for `commit` after the submit. */
  request(enc: GPUCommandEncoder): GPUBuffer {
    const staging = this.free.pop();
    if (!staging) throw new Error('ReadbackRing.request with no free slot: await waitForSlot() first');
    let at = 0;
    for (const r of this.regions) {
      enc.copyBufferToBuffer(r.buffer, r.byteOffset ?? 0, staging, at, r.byteLength);
      at += r.byteLength;
    }
    return staging;
  }

  /** After submitting the encoder: map in the background and hand the bytes (one view per region) to `onData`. */
  commit(staging: GPUBuffer, onData: (views: ArrayBuffer[]) => void): void {
    const p = staging
      .mapAsync(GPUMapMode.READ)
      .then(() => {
        const all = staging.getMappedRange().slice(0);
        staging.unmap();
        let at = 0;
        const views = this.regions.map((r) => {
          const v = all.slice(at, at + r.byteLength);
          at += r.byteLength;
          return v;
        });
        onData(views);
      })
      .catch((e) => {
        this.error ??= e;
      })
      .finally(() => {
        this.inflight.delete(p);
        this.free.push(staging);
      });
    this.inflight.add(p);
  }

  /**
   * One submit of a training loop, after `waitForSlot`: record one compute pass, append the metric
   * copies, submit, and hand the bytes to `onData` when they arrive (never awaited here).
   */
  submitPass(label: string, record: (pass: GPUComputePassEncoder) => void, onData: (views: ArrayBuffer[]) => void): void {
    this.ctx.checkHealthy();
    const enc = this.ctx.device.createCommandEncoder({ label });
    const pass = enc.beginComputePass({ label });
    record(pass);
    pass.end();
    const staging = this.request(enc);
    this.ctx.device.queue.submit([enc.finish()]);
    this.commit(staging, onData);
  }

  /** Wait for every readback in flight (end of training). */
  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.race(this.inflight);
    if (this.error) throw this.error;
  }

  destroy(): void {
    for (const b of this.free) b.destroy();
    this.free.length = 0;
  }
}
