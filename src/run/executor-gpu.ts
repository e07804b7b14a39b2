import type { GpuContext } from '../gpu/context.ts';
import { readBuffer, ReadbackRing } from '../gpu/readback.ts';
import { opStates, type Executor } from './executor.ts';
import { checkBindings, type CpuOp, type GpuKernel, type HostArray } from './kernel-def.ts';
import { bindingsAt, initOf, metricsWindow, type Op, type StepProgram } from './program.ts';

interface GpuOp {
  kernel: GpuKernel;
  groups: GPUBindGroup[];
}

/** A host-only op on the device path: download what it binds, run its CPU form, upload what it writes. */
interface HostOp {
  run: CpuOp[];
  /** Device buffers it binds, per parity (downloaded first), and those it writes (uploaded after). */
  reads: string[][];
  writes: string[][];
  staging: GPUBuffer[];
}

type Segment = { gpu: GpuOp[] } | { host: HostOp };

/**
 * The WebGPU executor: one device buffer per declared buffer, one GPU kernel per op with its bind
 * groups for both ping-pong parities built once; a chunk of steps is recorded into one compute
 * pass and one submit, and the metrics buffer rides back through a ring of staging buffers that
 * the loop never waits on unless the device is three chunks ahead.
 *
 * A program with host-only ops (an env on the CPU, e.g. LunarLander on planck) is bridged: each
 * step submits the GPU ops before the host op, downloads the buffers the host op binds (one
 * readback), runs it on host mirrors, uploads what it writes (one upload), and goes on. Buffers
 * that only host ops bind stay on the host.
 */
export class GpuExecutor implements Executor {
  readonly backend = 'webgpu' as const;
  readonly adapter: string;
  stepCount = 0;
  readonly buffers: Record<string, GPUBuffer> = {};
  /** Host copies of the buffers host-only ops bind. */
  private readonly mirror: Record<string, HostArray> = {};
  /** Buffers bound only by host ops: they live in `mirror` alone. */
  private readonly resident = new Set<string>();
  private readonly segments: Segment[][];
  private readonly resetSegments: Segment[];
  private readonly fused: boolean;
  private readonly ring: ReadbackRing;
  private readonly hostOps: HostOp[] = [];
  private readonly gpuOps: GpuOp[] = [];
  private readonly states: ReturnType<typeof opStates>;
  private pendingReset = false;

  constructor(
    readonly ctx: GpuContext,
    readonly program: StepProgram,
  ) {
    this.adapter = ctx.adapterName();
    const all = [...program.step, ...program.reset];
    const hostBound = new Set<string>(),
      gpuBound = new Set<string>();
    for (const op of all) for (const p of [0, 1]) for (const n of Object.values(bindingsAt(op, p))) (op.kernel.host ? hostBound : gpuBound).add(n);
    gpuBound.add(metricsWindow(program).buffer); // read back through the ring
    for (const n of hostBound) if (!gpuBound.has(n)) this.resident.add(n);
    this.fused = !all.some((op) => op.kernel.host);
    // Every size against the adapter's limits first: nothing is allocated for a program that cannot fit.
    for (const d of program.buffers) if (!this.resident.has(d.name)) ctx.checkBufferSize(Math.max(16, d.length * 4), `buffer '${d.name}'`);
    try {
      for (const d of program.buffers) {
        if (this.buffers[d.name] || this.mirror[d.name]) throw new Error(`step program declares buffer '${d.name}' twice`);
        const init = initOf(d);
        if (hostBound.has(d.name)) {
          const a = d.type === 'f32' ? new Float32Array(d.length) : new Uint32Array(d.length);
          if (init) a.set(init);
          this.mirror[d.name] = a;
        }
        if (this.resident.has(d.name)) continue;
        this.buffers[d.name] = init ? ctx.createBufferFrom(d.name, init) : ctx.createBuffer(d.name, Math.max(4, d.length * 4));
      }
      this.segments = [0, 1].map((p) => this.compile(program.step, p));
      this.resetSegments = this.compile(program.reset, 0);
      const m = metricsWindow(program);
      const metrics = this.buffers[m.buffer];
      if (!metrics) throw new Error(`metrics buffer '${m.buffer}' is not declared, or lives only on the host`);
      if ((m.offset + m.length) * 4 > metrics.size) throw new Error(`metrics window [${m.offset}, ${m.offset + m.length}) lies outside buffer '${m.buffer}'`);
      this.ring = new ReadbackRing(ctx, [{ buffer: metrics, byteOffset: m.offset * 4, byteLength: Math.max(4, m.length * 4) }], 3, m.buffer);
      // Host state lives in the step ops; both parities share it (see KernelDef.host).
      this.states = opStates(this.segments[0]!.flatMap((s) => ('host' in s ? [s.host.run[0]!] : [])));
    } catch (e) {
      this.destroyBuffers();
      throw e;
    }
  }

  /** Split an op list into runs of GPU ops and single host ops, for parity p. */
  private compile(ops: readonly Op[], p: number): Segment[] {
    const out: Segment[] = [];
    for (const op of ops) {
      const names = bindingsAt(op, p);
      if (op.kernel.host) {
        const host = this.hostOp(op, names);
        out.push({ host });
        continue;
      }
      checkBindings(op.kernel);
      if (!op.kernel.gpu) throw new Error(`${op.kernel.wgsl} has no GPU form and is not a host op`);
      const kernel = op.kernel.gpu(this.ctx, op.layout);
      const g: GpuOp = { kernel, groups: [kernel.group(this.pick(names), `p${p}`)] };
      this.gpuOps.push(g);
      const last = out[out.length - 1];
      if (last && 'gpu' in last) last.gpu.push(g);
      else out.push({ gpu: [g] });
    }
    return out;
  }

  private hostOp(op: Op, names: Record<string, string>): HostOp {
    const arrays: Record<string, HostArray> = {};
    for (const [b, n] of Object.entries(names)) arrays[b] = this.mirror[n]!;
    const reads = [...new Set(Object.values(names))].filter((n) => !this.resident.has(n));
    const writes = [...new Set(op.kernel.host!.writes.map((b) => names[b]!))].filter((n) => !this.resident.has(n));
    const bytes = reads.reduce((s, n) => s + this.buffers[n]!.size, 0);
    const staging = this.ctx.device.createBuffer({ label: `${op.kernel.wgsl}:bridge`, size: Math.max(4, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const h: HostOp = { run: [op.kernel.cpu(op.layout, arrays)], reads: [reads], writes: [writes], staging: [staging] };
    this.hostOps.push(h);
    return h;
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
    if (this.fused) {
      this.ring.submitPass(
        'step-program',
        (pass) => this.encode(pass, n),
        ([bytes]) => onMetrics(new Uint32Array(bytes!)),
      );
      return;
    }
    const reset = this.pendingReset;
    this.pendingReset = false;
    const start = this.stepCount;
    if (reset) await this.runSegments(this.resetSegments);
    for (let i = start; i < start + n; i++) await this.runSegments(this.segments[i & 1]!);
    this.ring.submitPass(
      'step-program:metrics',
      () => {},
      ([bytes]) => onMetrics(new Uint32Array(bytes!)),
    );
    this.stepCount += n;
  }

  /**
   * Record a pending reset and `n` steps into `pass`, with no metrics readback (benches time this).
   * Only for programs without host ops (one pass cannot wait for the host).
   */
  encode(pass: GPUComputePassEncoder, n: number): void {
    if (!this.fused) throw new Error('encode: this program has host ops; run it with chunk()');
    if (this.pendingReset) for (const s of this.resetSegments) for (const op of (s as { gpu: GpuOp[] }).gpu) op.kernel.encode(pass, op.groups[0]!);
    this.pendingReset = false;
    this.encodeSteps(pass, n);
    this.stepCount += n;
  }

  /** Record steps start .. start + n - 1 into a pass without a reset or a readback (benches record it themselves). */
  encodeSteps(pass: GPUComputePassEncoder, n: number, start = this.stepCount): void {
    if (!this.fused) throw new Error('encodeSteps: this program has host ops; run it with chunk()');
    for (let i = start; i < start + n; i++) for (const op of (this.segments[i & 1]![0] as { gpu: GpuOp[] }).gpu) op.kernel.encode(pass, op.groups[0]!);
  }

  /** Record step op `index` alone (of step `step`'s parity) into a pass: for timing one kernel (scripts/bench/gpu-op-times.ts). */
  encodeOp(pass: GPUComputePassEncoder, index: number, step = this.stepCount): void {
    if (!this.fused) throw new Error('encodeOp: this program has host ops');
    const op = (this.segments[step & 1]![0] as { gpu: GpuOp[] }).gpu[index]!;
    op.kernel.encode(pass, op.groups[0]!);
  }

  /** One bridged step: GPU runs submitted as they come, each host op between a download and an upload. */
  private async runSegments(segs: Segment[]): Promise<void> {
    for (const s of segs) {
      if ('gpu' in s) {
        this.ctx.checkHealthy();
        const enc = this.ctx.device.createCommandEncoder({ label: 'step-program' });
        const pass = enc.beginComputePass({ label: 'step-program' });
        for (const op of s.gpu) op.kernel.encode(pass, op.groups[0]!);
        pass.end();
        this.ctx.device.queue.submit([enc.finish()]);
        continue;
      }
      const h = s.host,
        staging = h.staging[0]!;
      if (h.reads[0]!.length) {
        const enc = this.ctx.device.createCommandEncoder({ label: 'bridge:download' });
        let at = 0;
        for (const n of h.reads[0]!) {
          enc.copyBufferToBuffer(this.buffers[n]!, 0, staging, at, this.buffers[n]!.size);
          at += this.buffers[n]!.size;
        }
        this.ctx.device.queue.submit([enc.finish()]);
        await staging.mapAsync(GPUMapMode.READ);
        const bytes = staging.getMappedRange();
        at = 0;
        for (const n of h.reads[0]!) {
          const m = this.mirror[n]!;
          m.set(m instanceof Float32Array ? new Float32Array(bytes, at, m.length) : new Uint32Array(bytes, at, m.length));
          at += this.buffers[n]!.size;
        }
        staging.unmap();
      }
      h.run[0]!();
      for (const n of h.writes[0]!) this.ctx.device.queue.writeBuffer(this.buffers[n]!, 0, this.mirror[n]! as Float32Array<ArrayBuffer>);
    }
  }

  async drain(): Promise<void> {
    await this.ring.drain();
    this.ctx.checkHealthy();
  }

  async read(name: string): Promise<HostArray> {
    if (this.resident.has(name)) return this.mirror[name]!.slice();
    const bytes = await readBuffer(this.ctx, this.get(name));
    const d = this.program.buffers.find((b) => b.name === name)!;
    return d.type === 'f32' ? new Float32Array(bytes, 0, d.length) : new Uint32Array(bytes, 0, d.length);
  }

  write(name: string, data: HostArray): void {
    if (this.mirror[name]) this.mirror[name]!.set(data);
    if (this.resident.has(name)) return;
    this.ctx.device.queue.writeBuffer(this.get(name), 0, data as Float32Array<ArrayBuffer>);
  }

  saveOps(): unknown[] {
    return this.states.save();
  }

  loadOps(states: unknown[]): void {
    this.states.load(states);
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
    for (const op of this.gpuOps) op.kernel.destroy();
    for (const h of this.hostOps) for (const s of h.staging) s.destroy();
    this.destroyBuffers();
  }
}
