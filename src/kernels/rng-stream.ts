import type { GpuContext } from '../gpu/context.ts';
import { Kernel, runPass } from '../gpu/kernel.ts';
import { ParamsBuffer, ParamsLayout } from '../gpu/params.ts';
import { readBuffer } from '../gpu/readback.ts';

export const RNG_STREAM_PARAMS = new ParamsLayout('RngStreamParams', { count: 'u32', seed: 'u32', stream: 'u32', step: 'u32' });

/** Fills buffers with counter-RNG draws on the GPU (shaders/rng-stream.wgsl); used by the parity tests. */
export class RngStreamKernel extends Kernel {
  constructor(ctx: GpuContext) {
    super(ctx, 'rng-stream');
    RNG_STREAM_PARAMS.checkAgainst('rng-stream');
  }

  /** The draws rngU32(seed, stream, i, step) and rngUniform(...) for i < count. */
  async generate(count: number, seed: number, stream: number, step: number): Promise<{ words: Uint32Array; uniforms: Float32Array }> {
    const params = new ParamsBuffer(this.ctx.device, RNG_STREAM_PARAMS, 'rng-stream:params');
    const words = this.ctx.createBuffer('rng-stream:words', count * 4);
    const uniforms = this.ctx.createBuffer('rng-stream:uniforms', count * 4);
    try {
      params.set({ count, seed, stream, step });
      const group = this.bindGroup('main', [params.buffer, words, uniforms]);
      await runPass(this.ctx, 'rng-stream', (pass) => this.dispatch(pass, group, count));
      return {
        words: new Uint32Array(await readBuffer(this.ctx, words, 0, count * 4)),
        uniforms: new Float32Array(await readBuffer(this.ctx, uniforms, 0, count * 4)),
      };
    } finally {
      params.destroy();
      words.destroy();
      uniforms.destroy();
    }
  }
}
