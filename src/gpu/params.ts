import { registerStruct, shaderSource } from './shader-source.ts';

/** Scalar field types a params struct may hold (each 4 bytes, so the layout is the field order). */
export type ScalarType = 'u32' | 'i32' | 'f32';

/**
 * One WGSL params struct, defined once in TypeScript. Its byte layout follows from the field
 * order; `checkAgainst` verifies it against the `struct <name>` declaration in a kernel's WGSL, so
 * the two can never drift apart silently.
 */
export class ParamsLayout<F extends Record<string, ScalarType>> {
  readonly byteSize: number;
  readonly names: (keyof F & string)[];
  constructor(
    readonly structName: string,
    readonly fields: F,
  ) {
    this.names = Object.keys(fields) as (keyof F & string)[];
    // Uniform buffers round up to 16 bytes.
    this.byteSize = Math.max(16, Math.ceil((this.names.length * 4) / 16) * 16);
    registerStruct(structName, this.wgsl());
  }

  /** The struct's WGSL declaration (what `#struct <name>` in a shader expands to). */
  wgsl(): string {
    return `struct ${this.structName} {\n${this.names.map((n) => `  ${n}: ${this.fields[n]},`).join('\n')}\n}`;
  }

  /** Throws if shaders/<kernel>.wgsl declares the struct with other fields or types. */
  checkAgainst(kernel: string): void {
    const src = shaderSource(kernel);
    const m = new RegExp(`struct\\s+${this.structName}\\s*\\{([^}]*)\\}`).exec(src);
    if (!m) throw new Error(`${kernel}.wgsl does not declare struct ${this.structName}`);
    const decl = m[1]!
      .split(/[,;\n]/)
      .map((s) => s.replace(/\/\/.*$/, '').trim())
      .filter(Boolean)
      .map((s) => s.split(':').map((t) => t.trim()));
    const want = this.names.map((n) => [n, this.fields[n]]);
    if (JSON.stringify(decl) !== JSON.stringify(want)) {
      throw new Error(`${kernel}.wgsl struct ${this.structName} is ${JSON.stringify(decl)}, TypeScript expects ${JSON.stringify(want)}`);
    }
  }

  /** Encode values into bytes (every field required). */
  encode(values: { [K in keyof F]: number }, out = new ArrayBuffer(this.byteSize)): ArrayBuffer {
    const dv = new DataView(out);
    this.names.forEach((n, i) => {
      const v = values[n];
      if (typeof v !== 'number' || Number.isNaN(v)) throw new RangeError(`${this.structName}.${n} must be a number, got ${v}`);
      const t = this.fields[n];
      if (t === 'f32') dv.setFloat32(i * 4, v, true);
      else if (t === 'i32') dv.setInt32(i * 4, v, true);
      else dv.setUint32(i * 4, v >>> 0, true);
    });
    return out;
  }
}

/**
 * A persistent uniform buffer holding one params struct; rewritten only when a value changes.
 */
export class ParamsBuffer<F extends Record<string, ScalarType>> {
  readonly buffer: GPUBuffer;
  private last = '';
  constructor(
    private readonly device: GPUDevice,
    readonly layout: ParamsLayout<F>,
    label: string,
  ) {
    this.buffer = device.createBuffer({ label, size: layout.byteSize, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }
  set(values: { [K in keyof F]: number }): void {
    const key = this.layout.names.map((n) => values[n]).join(',');
    if (key === this.last) return;
    this.last = key;
    this.device.queue.writeBuffer(this.buffer, 0, this.layout.encode(values));
  }
  destroy(): void {
    this.buffer.destroy();
  }
}
