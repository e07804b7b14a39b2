import { GpuContext, type GpuContextOptions } from './context.ts';
import { setShaderProvider } from './shader-source.ts';
// The same files Node reads from disk, as strings in a generated module (any bundler carries it).
import { SHADERS } from './shaders.generated.ts';

/** Serve shaders/*.wgsl from the bundled strings (createBrowserGpu calls this). */
export function registerBrowserShaders(): void {
  setShaderProvider((name) => {
    const s = Object.hasOwn(SHADERS, name) ? SHADERS[name] : undefined;
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
