import type { GpuContext } from '../gpu/context.ts';
import { Kernel } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { readU32 } from '../gpu/readback.ts';

export const COPY_PARAMS = new ParamsLayout('CopyParams', { count: 'u32', threads: 'u32' });

/**
 * The copy kernel behind the bandwidth roofline (shaders/copy-roofline.wgsl): `count` vec4<f32>
 * words from `src` to `dst`, `perThread` per invocation (strided). It owns both buffers.
 */
export class CopyRooflineKernel extends Kernel {
  readonly src: GPUBuffer;
  readonly dst: GPUBuffer;
  private readonly params: ParamsBuffer<typeof COPY_PARAMS.fields>;
  private readonly group: GPUBindGroup;

  readonly threads: number;

  /** `count` vec4 words (16 bytes each); `dstSlack` extra words after the copy in `dst` (tests). */
  constructor(
    ctx: GpuContext,
    readonly count: number,
    readonly workgroup = 64,
    readonly perThread = 1,
    dstSlack = 0,
  ) {
    super(ctx, 'copy-roofline', { WG: workgroup, PER_THREAD: perThread });
    if (!Number.isInteger(count) || count < 1 || count >= 2 ** 32) throw new RangeError(`copy count must be an integer in [1, 2^32), got ${count}`);
    COPY_PARAMS.checkAgainst('copy-roofline');
    this.src = ctx.createBuffer('copy:src', count * 16);
    this.dst = ctx.createBuffer('copy:dst', (count + dstSlack) * 16);
    this.params = new ParamsBuffer(ctx.device, COPY_PARAMS, 'copy-roofline:params');
    this.threads = Math.ceil(count / perThread);
    this.params.set({ count, threads: this.threads });
    this.group = this.bindGroup('main', [this.params.buffer, this.src, this.dst]);
  }

  /** Bytes one copy moves: every word read once and written once. */
  get bytesMoved(): number {
    return this.count * 32;
  }

  encode(pass: GPUComputePassEncoder): void {
    this.dispatch(pass, this.group, this.threads, this.workgroup);
  }

  destroy(): void {
    this.params.destroy();
    this.src.destroy();
    this.dst.destroy();
  }
}

/**
 * Parity of the copy kernel with its twin (`dst.set(src)`), one word per invocation and four:
 * `count` random finite floats (not a multiple of the workgroup or of four, so both bounds guards
 * run) must arrive bit for bit, and the sentinel words after them must be untouched. Shaped like
 * test/parity's ParityReport.
 */
export async function copyParity(ctx: GpuContext, count = 100_003): Promise<{ name: string; count: number; exactMismatches: number; maxAbsError: number; notes: Record<string, number> }> {
  const slack = 5;
  const sentinel = 0xdeadbeef;
  const src = new Float32Array(count * 4);
  let s = 0x9e3779b9;
  for (let i = 0; i < src.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    src[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 2 ** ((i % 61) - 30); // finite, many exponents
  }
  const want = new Uint32Array(src.buffer);
  let compared = 0,
    exactMismatches = 0,
    sentinelsHit = 0;
  for (const [workgroup, perThread] of [
    [64, 1],
    [256, 4],
  ] as const) {
    const k = new CopyRooflineKernel(ctx, count, workgroup, perThread, slack);
    try {
      ctx.device.queue.writeBuffer(k.src, 0, src);
      ctx.device.queue.writeBuffer(k.dst, 0, new Uint32Array((count + slack) * 4).fill(sentinel));
      const enc = ctx.device.createCommandEncoder({ label: 'copy-parity' });
      const pass = enc.beginComputePass();
      k.encode(pass);
      pass.end();
      ctx.device.queue.submit([enc.finish()]);
      const got = await readU32(ctx, k.dst);
      for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) exactMismatches++;
      for (let i = want.length; i < got.length; i++) if (got[i] !== sentinel) sentinelsHit++;
      compared += got.length;
    } finally {
      k.destroy();
    }
  }
  return { name: 'copy-roofline', count: compared, exactMismatches: exactMismatches + sentinelsHit, maxAbsError: 0, notes: { sentinelsHit } };
}
