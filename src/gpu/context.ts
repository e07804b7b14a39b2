import { GpuDeviceLostError, GpuKernelError, GpuLimitError } from './errors.ts';
import { shaderSource } from './shader-source.ts';

/** Options of a GpuContext (createNodeGpu, createBrowserGpu). */
export interface GpuContextOptions {
  /** Wrap every kernel dispatch batch and allocation in error scopes whose messages name the kernel. */
  debug?: boolean;
  /**
   * Largest single buffer the engine will create, in bytes. Defaults to the smaller of the adapter's
   * maxStorageBufferBindingSize and maxBufferSize, capped at 512 MiB (SwiftShader fails, late and
   * silently, at exactly 1 GiB). Lowering it forces sharding, which the tests use.
   */
  maxBufferBytes?: number;
  /** Called once if the device is lost. */
  onLost?: (err: GpuDeviceLostError) => void;
}

/** What `hedonist info` prints about the adapter. */
export interface AdapterSummary {
  backend: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
  limits: Record<string, number>;
}

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
  'maxBindGroups',
] as const;

const MIB = 1024 * 1024;

/**
 * One WebGPU device and everything the engine keeps per device: the pipeline cache (keyed by
 * kernel + override constants), limit checks, device-lost and uncaptured-error handling, and the
 * debug error scopes. Platform code (node.ts / browser.ts) creates it; nothing above this line
 * knows which platform it runs on.
 */
export class GpuContext {
  readonly limits: Record<string, number>;
  readonly maxBufferBytes: number;
  readonly debug: boolean;
  /** Set once the device is lost; every later use throws it. */
  lostError: GpuDeviceLostError | undefined;
  /** Uncaptured device errors seen so far (also thrown by `checkHealthy`). */
  readonly uncapturedErrors: string[] = [];
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  /** Every kernel (shaders/<name>.wgsl) a pipeline was asked for since the last clear: parity coverage. */
  readonly kernelsUsed = new Set<string>();
  /** Live buffers made through createBuffer, with their sizes (for memory accounting). */
  private readonly live = new Map<GPUBuffer, number>();
  /** Largest `liveBufferBytes` seen. */
  peakBufferBytes = 0;
  /** Out-of-memory scopes of buffers created since the last `checkAllocations`. */
  private pendingAllocations: Promise<GpuKernelError | undefined>[] = [];
  private readonly modules = new Map<string, GPUShaderModule>();

  private constructor(
    readonly adapter: GPUAdapter,
    readonly device: GPUDevice,
    readonly backend: string,
    opts: GpuContextOptions,
  ) {
    this.debug = opts.debug ?? false;
    this.limits = {};
    for (const n of LIMIT_NAMES) this.limits[n] = Number((device.limits as unknown as Record<string, number>)[n]);
    const hard = Math.min(this.limits.maxStorageBufferBindingSize!, this.limits.maxBufferSize!);
    const want = opts.maxBufferBytes ?? Math.min(hard, 512 * MIB);
    if (!(want >= 1024 && want <= hard)) {
      throw new GpuLimitError('maxStorageBufferBindingSize', hard, want, 'maxBufferBytes option');
    }
    this.maxBufferBytes = want - (want % 256);
    device.lost.then((info) => {
      this.lostError = new GpuDeviceLostError(String(info.reason), info.message || 'no message');
      opts.onLost?.(this.lostError);
    });
    device.addEventListener('uncapturederror', (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      this.uncapturedErrors.push(e.message);
    });
  }

  /** Request a device with the adapter's real limits (not the WebGPU defaults). */
  static async fromAdapter(adapter: GPUAdapter, backend: string, opts: GpuContextOptions = {}): Promise<GpuContext> {
    const requiredLimits: Record<string, number> = {};
    for (const n of LIMIT_NAMES) {
      const v = (adapter.limits as unknown as Record<string, number>)[n];
      if (typeof v === 'number') requiredLimits[n] = v;
    }
    const device = await adapter.requestDevice({ requiredLimits, label: 'hedonist' });
    return new GpuContext(adapter, device, backend, opts);
  }

  summary(): AdapterSummary {
    const info = this.adapter.info ?? ({} as GPUAdapterInfo);
    return {
      backend: this.backend,
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (this.adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter),
      features: [...this.adapter.features].sort(),
      limits: { ...this.limits },
    };
  }

  /**
   * True unless the adapter is a fallback (software) one such as SwiftShader: the runners pick their
   * hardware kernel forms by it (docs/gpu.md).
   */
  get hardwareAdapter(): boolean {
    return !this.summary().isFallbackAdapter;
  }

  /** A one-line name of the adapter for logs and bench files. */
  adapterName(): string {
    const s = this.summary();
    return [s.vendor, s.architecture, s.device, s.description].filter(Boolean).join(' / ') || 'unknown adapter';
  }

  /** Throws if the device was lost or reported an uncaptured error. */
  checkHealthy(): void {
    if (this.lostError) throw this.lostError;
    if (this.uncapturedErrors.length) throw new GpuKernelError('device', 'validation', this.uncapturedErrors.join('; '));
  }

  /** The compute pipeline for shaders/<name>.wgsl with these override constants (cached). */
  pipeline(name: string, overrides: Record<string, number> = {}): GPUComputePipeline {
    this.kernelsUsed.add(name);
    const keys = Object.keys(overrides).sort();
    const key = name + '|' + keys.map((k) => `${k}=${overrides[k]}`).join(',');
    let p = this.pipelines.get(key);
    if (!p) {
      this.checkHealthy();
      let module = this.modules.get(name);
      if (!module) {
        module = this.device.createShaderModule({ label: name, code: shaderSource(name) });
        this.modules.set(name, module);
      }
      p = this.device.createComputePipeline({
        label: key,
        layout: 'auto',
        compute: { module, entryPoint: 'main', constants: overrides },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Check a byte size against the engine's per-buffer cap before allocating. */
  checkBufferSize(bytes: number, what: string): void {
    if (bytes > this.maxBufferBytes) {
      const limit =
        this.maxBufferBytes < Math.min(this.limits.maxStorageBufferBindingSize!, this.limits.maxBufferSize!)
          ? 'maxBufferBytes (engine cap)'
          : this.limits.maxStorageBufferBindingSize! <= this.limits.maxBufferSize!
            ? 'maxStorageBufferBindingSize'
            : 'maxBufferSize';
      throw new GpuLimitError(limit, this.maxBufferBytes, bytes, what);
    }
  }

  /**
   * Create a buffer after checking its size against the limits. Storage buffers are STORAGE |
   * COPY_SRC | COPY_DST unless `usage` says otherwise. Sizes round up to 4 bytes.
   */
  createBuffer(label: string, bytes: number, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST): GPUBuffer {
    this.checkHealthy();
    if (!(Number.isFinite(bytes) && bytes >= 0)) throw new RangeError(`${label}: buffer size must be a finite number >= 0, got ${bytes}`);
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    this.checkBufferSize(size, `buffer '${label}'`);
    // Allocation failures arrive late (SwiftShader reports them asynchronously, and the buffer then
    // reads as zeros): every buffer gets an out-of-memory scope, settled by checkAllocations().
    this.device.pushErrorScope('out-of-memory');
    const buffer = this.device.createBuffer({ label, size, usage });
    this.track(buffer, size);
    this.pendingAllocations.push(this.device.popErrorScope().then((e) => (e ? new GpuKernelError(`buffer '${label}' (${size} bytes)`, 'out-of-memory', e.message) : undefined)));
    return buffer;
  }

  private track(buffer: GPUBuffer, size: number): void {
    this.live.set(buffer, size);
    const bytes = this.liveBufferBytes;
    if (bytes > this.peakBufferBytes) this.peakBufferBytes = bytes;
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = () => {
      this.live.delete(buffer);
      destroy();
    };
  }

  /** Bytes in buffers made through createBuffer and not yet destroyed (device memory the engine holds). */
  get liveBufferBytes(): number {
    let sum = 0;
    for (const v of this.live.values()) sum += v;
    return sum;
  }

  /**
   * Throw a GpuKernelError naming the first buffer whose allocation failed since the last call.
   * Training loops call it once after building their buffers, before the first submit.
   */
  async checkAllocations(): Promise<void> {
    const pending = this.pendingAllocations;
    this.pendingAllocations = [];
    const failed = (await Promise.all(pending)).find((e) => e);
    if (failed) throw failed;
    this.checkHealthy();
  }

  /** A storage buffer initialised from a typed array. */
  createBufferFrom(label: string, data: ArrayBufferView, usage?: GPUBufferUsageFlags): GPUBuffer {
    const b = this.createBuffer(label, data.byteLength, usage);
    this.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  }

  /**
   * Run `fn` inside validation + out-of-memory error scopes and throw a GpuKernelError naming
   * `scope` if either reports. Used for allocations always, and for kernels in debug mode.
   */
  async scoped<T>(scope: string, fn: () => T): Promise<T> {
    this.checkHealthy();
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    let out: T;
    try {
      out = fn();
    } finally {
      const validation = await this.device.popErrorScope();
      const oom = await this.device.popErrorScope();
      if (oom) throw new GpuKernelError(scope, 'out-of-memory', oom.message);
      if (validation) throw new GpuKernelError(scope, 'validation', validation.message);
    }
    return out;
  }

  /** Wait until the queue is idle (tests and benchmarks only; training loops never call this). */
  async idle(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
    this.checkHealthy();
  }

  destroy(): void {
    this.pipelines.clear();
    this.modules.clear();
    this.device.destroy();
  }
}
