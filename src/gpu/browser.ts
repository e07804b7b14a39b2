import { GpuContext, type GpuContextOptions } from './context.ts';
import { setShaderProvider } from './shader-source.ts';

// Vite inlines every shader at build time: the same files Node reads from disk.
const sources = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function registerBrowserShaders(): void {
  const byName = new Map<string, string>();
  for (const [path, text] of Object.entries(sources)) byName.set(path.replace(/^.*\/([\w-]+)\.wgsl$/, '$1'), text);
  setShaderProvider((name) => {
    const s = byName.get(name);
    if (s === undefined) throw new Error(`shader not found: shaders/${name}.wgsl`);
    return s;
  });
}

/** A GpuContext in the browser through navigator.gpu. */
export async function createBrowserGpu(opts: GpuContextOptions = {}): Promise<GpuContext> {
  if (!('gpu' in navigator)) throw new Error('navigator.gpu is missing: this browser has no WebGPU (Chrome: serve over http://127.0.0.1 or https, or enable --enable-unsafe-webgpu)');
  registerBrowserShaders();
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null: no WebGPU adapter in this browser');
  return GpuContext.fromAdapter(adapter, 'webgpu (browser)', opts);
}
