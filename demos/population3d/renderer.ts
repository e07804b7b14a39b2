import { mat4, vec3 } from 'wgpu-matrix';
import shader from './points.wgsl?raw';

/** Populations up to this many units are drawn as round quads, larger ones as one pixel per unit. */
const QUAD_LIMIT = 1 << 17;

/**
 * Draws a population of `units` neurons as instanced round quads on a cube grid, coloured by each
 * unit's firing probability (a storage buffer of f32, one per unit; past QUAD_LIMIT units one pixel
 * each), with additive blending, through
 * a WebGPU render pipeline; the camera (wgpu-matrix: perspective x lookAt) orbits the cube with the
 * mouse (drag to turn, wheel to zoom) and turns slowly by itself until the first drag.
 *
 * Frames are rendered into a texture and shown on a 2D canvas through a readback (one frame in
 * flight): headless Chromium on SwiftShader cannot make the shared image a 'webgpu' canvas context
 * presents (SharedImageBackingFactory fails and the GPU channel is lost), so the page would not run
 * where its test runs.
 */
export class PopulationRenderer {
  readonly side: number;
  /** The firing probabilities drawn (copied in from the trainer's buffer on the GPU). */
  readonly rates: GPUBuffer;
  private readonly pipeline: GPURenderPipeline;
  private readonly uniforms: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private readonly target: GPUTexture;
  private readonly staging: GPUBuffer;
  private readonly rowBytes: number;
  private readonly g: CanvasRenderingContext2D;
  private readonly image: ImageData;
  private inFlight = false;
  /** Drawn as one pixel per unit (point list) instead of quads. */
  readonly points: boolean;
  private readonly view = new Float32Array(24);
  private yaw = 0.6;
  private pitch = 0.45;
  private distance = 2.2;
  private spinning = true;
  private last = performance.now();

  constructor(
    private readonly device: GPUDevice,
    private readonly canvas: HTMLCanvasElement,
    readonly units: number,
  ) {
    this.side = Math.max(1, Math.ceil(Math.cbrt(units) - 1e-9));
    const format: GPUTextureFormat = 'rgba8unorm';
    const { width, height } = canvas;
    this.target = device.createTexture({ label: 'population3d frame', size: [width, height], format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
    this.rowBytes = Math.ceil((width * 4) / 256) * 256;
    this.staging = device.createBuffer({ label: 'population3d frame readback', size: this.rowBytes * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.g = canvas.getContext('2d')!;
    this.image = this.g.createImageData(width, height);
    const module = device.createShaderModule({ label: 'population3d', code: shader });
    // Quads for a population a viewer can tell apart; single pixels past QUAD_LIMIT (a software GPU draws 2^20 quads slowly).
    this.points = units > QUAD_LIMIT;
    const additive: GPUBlendComponent = { srcFactor: 'one', dstFactor: 'one', operation: 'add' };
    this.pipeline = device.createRenderPipeline({
      label: 'population3d',
      layout: 'auto',
      vertex: { module, entryPoint: this.points ? 'vs_point' : 'vs' },
      fragment: { module, entryPoint: this.points ? 'fs_point' : 'fs', targets: [{ format, blend: { color: additive, alpha: additive } }] },
      primitive: { topology: this.points ? 'point-list' : 'triangle-list' },
    });
    this.uniforms = device.createBuffer({ label: 'population3d view', size: this.view.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.rates = device.createBuffer({ label: 'population3d rates', size: Math.max(16, units * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.uniforms } },
        { binding: 1, resource: { buffer: this.rates } },
      ],
    });
    this.orbitWithMouse();
    device.addEventListener('uncapturederror', (ev) => console.error('population3d:', (ev as GPUUncapturedErrorEvent).error.message));
    void device.lost.then((i) => console.error('population3d: device lost:', i.reason, i.message));
  }

  /** Copy the first `units` floats of a device buffer (the trainer's firing probabilities) in, on the GPU. */
  copyFrom(src: GPUBuffer): void {
    const enc = this.device.createCommandEncoder({ label: 'population3d copy' });
    enc.copyBufferToBuffer(src, 0, this.rates, 0, Math.min(src.size, this.units * 4));
    this.device.queue.submit([enc.finish()]);
  }

  private orbitWithMouse(): void {
    let drag: { x: number; y: number } | undefined;
    this.canvas.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY };
      this.spinning = false;
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.yaw -= (e.clientX - drag.x) * 0.01;
      this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + (e.clientY - drag.y) * 0.01));
      drag = { x: e.clientX, y: e.clientY };
    });
    this.canvas.addEventListener('pointerup', () => (drag = undefined));
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.distance = Math.max(0.3, Math.min(10, this.distance * Math.exp(e.deltaY * 0.001)));
      },
      { passive: false },
    );
  }

  /** Render one frame and show it when its pixels are back; false (nothing done) while the last is in flight. */
  async draw(): Promise<boolean> {
    if (this.inFlight) return false;
    this.inFlight = true;
    const now = performance.now();
    if (this.spinning) this.yaw += (now - this.last) * 0.0002;
    this.last = now;
    const w = this.canvas.width;
    const h = this.canvas.height;
    const eye = vec3.fromValues(this.distance * Math.cos(this.pitch) * Math.sin(this.yaw), this.distance * Math.sin(this.pitch), this.distance * Math.cos(this.pitch) * Math.cos(this.yaw));
    const viewProj = mat4.multiply(mat4.perspective(Math.PI / 4, w / h, 0.05, 50), mat4.lookAt(eye, [0, 0, 0], [0, 1, 0]));
    this.view.set(viewProj, 0);
    // Point size: about one grid cell on screen at the default distance, at least 1.5 px.
    const px = Math.max(1.5, (0.9 * Math.min(w, h)) / this.side / this.distance);
    this.view.set([this.units, this.side, px, this.units > 100_000 ? 0.02 : 0.08], 16);
    this.view.set([w, h, 0, 0], 20);
    this.device.queue.writeBuffer(this.uniforms, 0, this.view);
    const enc = this.device.createCommandEncoder({ label: 'population3d frame' });
    const pass = enc.beginRenderPass({
      colorAttachments: [{ view: this.target.createView(), clearValue: { r: 0.02, g: 0.02, b: 0.04, a: 1 }, loadOp: 'clear', storeOp: 'store' }],
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    if (this.points) pass.draw(this.units);
    else pass.draw(6, this.units);
    pass.end();
    enc.copyTextureToBuffer({ texture: this.target }, { buffer: this.staging, bytesPerRow: this.rowBytes }, [w, h]);
    this.device.queue.submit([enc.finish()]);
    try {
      await this.staging.mapAsync(GPUMapMode.READ);
      const src = new Uint8Array(this.staging.getMappedRange());
      const dst = this.image.data;
      for (let y = 0; y < h; y++) dst.set(src.subarray(y * this.rowBytes, y * this.rowBytes + w * 4), y * w * 4);
      this.staging.unmap();
      this.g.putImageData(this.image, 0, 0);
      return true;
    } finally {
      this.inFlight = false;
    }
  }

  destroy(): void {
    this.rates.destroy();
    this.uniforms.destroy();
    this.target.destroy();
    this.staging.destroy();
  }
}
