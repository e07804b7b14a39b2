import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { GpuContext, type GpuContextOptions } from './context.ts';
import { setShaderProvider } from './shader-source.ts';

const SHADER_DIR = fileURLToPath(new URL('../../shaders/', import.meta.url));
const CHROMIUM_DIR = '/usr/lib/chromium';
const RTLD_NODELETE = 0x1000; // glibc; not exported by os.constants

/** What driver discovery did, for `hedonist info`. */
export interface DriverSetup {
  icd: string | undefined;
  loader: string;
}

let setup: DriverSetup | undefined;

function systemHasVulkanLoader(): boolean {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu']) {
    if (existsSync(`${dir}/libvulkan.so.1`)) return true;
  }
  return (process.env.LD_LIBRARY_PATH ?? '').split(':').some((d) => d && existsSync(`${d}/libvulkan.so.1`));
}

/** Vulkan ICD manifests of hardware drivers installed where the loader looks by default. */
export function systemHardwareIcds(dirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d']): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    // lavapipe and SwiftShader are CPU drivers (Debian 12's lavapipe is rejected by Dawn).
    for (const n of names) if (n.endsWith('.json') && !/lvp|swiftshader/i.test(n)) found.push(`${dir}/${n}`);
  }
  return found;
}

/**
 * Make a Vulkan driver reachable for Dawn without the user doing anything. If no ICD is configured
 * (VK_ICD_FILENAMES / VK_DRIVER_FILES), no hardware driver's manifest is installed (e.g. the
 * NVIDIA driver's nvidia_icd.json) and the system Chromium ships SwiftShader, use that ICD. If
 * no system Vulkan loader exists, preload Chromium's libvulkan.so.1 by path (kept resident with
 * RTLD_NODELETE), so Dawn's later dlopen("libvulkan.so.1") finds it by soname.
 */
export function prepareNodeVulkan(): DriverSetup {
  if (setup) return setup;
  process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
  const chromeIcd = `${CHROMIUM_DIR}/vk_swiftshader_icd.json`;
  let icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  const hardware = icd ? [] : systemHardwareIcds();
  if (hardware.length) icd = `system (${hardware.join(', ')})`;
  if (!icd && existsSync(chromeIcd)) {
    process.env.VK_ICD_FILENAMES = chromeIcd;
    icd = chromeIcd;
  }
  let loader = 'system libvulkan.so.1';
  if (!systemHasVulkanLoader() && existsSync(`${CHROMIUM_DIR}/libvulkan.so.1`)) {
    const c = os.constants.dlopen as Record<string, number>;
    try {
      process.dlopen({ exports: {} } as NodeJS.Module, `${CHROMIUM_DIR}/libvulkan.so.1`, (c.RTLD_NOW ?? 2) | (c.RTLD_GLOBAL ?? 256) | RTLD_NODELETE);
    } catch {
      // Expected: it is not a Node addon ("did not self-register"); the library stays loaded.
    }
    loader = `${CHROMIUM_DIR}/libvulkan.so.1 (preloaded)`;
  }
  setup = { icd, loader };
  return setup;
}

let shadersRegistered = false;
let nodeGpuInstance: GPU | undefined;
/** Serve shaders/*.wgsl from disk (createNodeGpu calls this; call it yourself before GpuContext.fromAdapter). */
export function registerNodeShaders(): void {
  if (shadersRegistered) return;
  setShaderProvider((name) => {
    const path = `${SHADER_DIR}${name}.wgsl`;
    if (!existsSync(path)) throw new Error(`shader not found: shaders/${name}.wgsl`);
    return readFileSync(path, 'utf8');
  });
  shadersRegistered = true;
}

/**
 * A GpuContext in Node through the `webgpu` package (Dawn). Throws with the steps to fix it when no
 * adapter can be found.
 */
export async function createNodeGpu(opts: GpuContextOptions = {}): Promise<GpuContext> {
  const drv = prepareNodeVulkan();
  registerNodeShaders();
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  // Dawn's instance must outlive every device made from it: if the GPU object is garbage collected
  // the process aborts inside Dawn. Keep it for the life of the process.
  const gpu = (nodeGpuInstance ??= create([]));
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      `No WebGPU adapter found (Vulkan ICD: ${drv.icd ?? 'none'}, loader: ${drv.loader}). ` +
        'Install a Vulkan driver, or the system Chromium (apt-get install -y chromium) for its SwiftShader, or set VK_ICD_FILENAMES.',
    );
  }
  return GpuContext.fromAdapter(adapter, 'webgpu (node, dawn)', opts);
}
