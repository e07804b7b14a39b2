import type { GpuContext } from '../gpu/context.ts';
import { readBuffer, ReadbackRing } from '../gpu/readback.ts';
import type { Executor } from './executor.ts';
import { checkBindings, type GpuKernel, type HostArray } from './kernel-def.ts';
import { bindingsAt, type StepProgram } from './program.ts';

interface Compiled {
  kernel: GpuKernel;
  groups: GPUBindGroup[];
}

/**
 * The WebGPU executor: one device buffer per declared buffer, one GPU kernel per op with its bind
 * groups for both ping-pong parities built once; a chunk of steps is recorded into one compute
 * pass and one submit, and the metrics buffer rides back through a ring of staging buffers that
 * the loop never waits on unless the device is three chunks ahead.
 */
export class GpuExecutor implements Executor {
  readonly backend = 'webgpu' as const;
  readonly adapter: string;
  stepCount = 0;
  readonly buffers: Record<string, GPUBuffer> = {};
  private readonly steps: Compiled[];
  private readonly resets: Compiled[];
  private readonly ring: ReadbackRing;
  private pendingReset = false;

  constructor(
    readonly ctx: GpuContext,
    readonly program: StepProgram,
  ) {
    this.adapter = ctx.adapterName();
    try {
      for (const d of program.buffers) {
        if (this.buffers[d.name]) throw new Error(`step program declares buffer '${d.name}' twice`);
        if (d.init && d.init.length !== d.length) throw new Error(`buffer '${d.name}': init has ${d.init.length} elements, declared ${d.length}`);
        this.buffers[d.name] = d.init ? ctx.createBufferFrom(d.name, d.init) : ctx.createBuffer(d.name, Math.max(4, d.length * 4));
      }
      const compile = (ops: StepProgram['step'], parities: number[]) =>
        ops.map((op) => {
          checkBindings(op.kernel);
          const kernel = op.kernel.gpu(ctx, op.layout);
          return { kernel, groups: parities.map((p) => kernel.group(this.pick(bindingsAt(op, p)), `p${p}`)) };
        });
      this.steps = compile(program.step, [0, 1]);
      this.resets = compile(program.reset, [0]);
      const metrics = this.buffers[program.metrics];
      if (!metrics) throw new Error(`metrics buffer '${program.metrics}' is not declared`);
      this.ring = new ReadbackRing(ctx, [{ buffer: metrics, byteLength: metrics.size }], 3, program.metrics);
    } catch (e) {
      this.destroyBuffers();
      throw e;
    }
  }

  /** Settle the allocations' out-of-memory scopes: throws if any buffer could not be made. */
  async checkAllocations(): Promise<void> {
    await this.ctx.checkAllocations();
  }

  reset(): void {
    this.pendingReset = true;
  }

  async chunk(n: number, onMetrics: (words: Uint32Array) => void): Promise<void> {
    await this.ring.waitForSlot();
    const reset = this.pendingReset;
    this.pendingReset = false;
    const start = this.stepCount;
    this.ring.submitPass(
      'step-program',
      (pass) => {
        if (reset) for (const r of this.resets) r.kernel.encode(pass, r.groups[0]!);
        this.encodeSteps(pass, n, start);
      },
      ([bytes]) => onMetrics(new Uint32Array(bytes!)),
    );
    this.stepCount += n;
  }

  /** Record steps start .. start + n - 1 into a pass (the chunk's body; benches record it themselves). */
  encodeSteps(pass: GPUComputePassEncoder, n: number, start = this.stepCount): void {
    for (let s = start; s < start + n; s++) for (const op of this.steps) op.kernel.encode(pass, op.groups[s & 1]!);
  }

  async drain(): Promise<void> {
    await this.ring.drain();
    this.ctx.checkHealthy();
  }

  async read(name: string): Promise<HostArray> {
    const bytes = await readBuffer(this.ctx, this.get(name));
    const d = this.program.buffers.find((b) => b.name === name)!;
    return d.type === 'f32' ? new Float32Array(bytes, 0, d.length) : new Uint32Array(bytes, 0, d.length);
  }

  write(name: string, data: HostArray): void {
    this.ctx.device.queue.writeBuffer(this.get(name), 0, data as Float32Array<ArrayBuffer>);
  }

  private get(name: string): GPUBuffer {
    const b = this.buffers[name];
    if (!b) throw new Error(`no buffer '${name}' in the step program`);
    return b;
  }

  private pick(names: Record<string, string>): Record<string, GPUBuffer> {
    const out: Record<string, GPUBuffer> = {};
    for (const [binding, name] of Object.entries(names)) out[binding] = this.get(name);
    return out;
  }

  private destroyBuffers(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
  }

  destroy(): void {
    this.ring?.destroy();
    for (const c of [...(this.steps ?? []), ...(this.resets ?? [])]) c.kernel.destroy();
    this.destroyBuffers();
  }
}
