/**
 * Where WGSL text comes from. The same files in shaders/ serve Node (read from disk) and the
 * browser (bundled by vite); each platform entry registers a provider once. `#include "name"`
 * lines are replaced by shaders/name.wgsl (once per module), so helpers like the RNG have one copy.
 */
export type ShaderProvider = (name: string) => string;

let provider: ShaderProvider | undefined;
const resolved = new Map<string, string>();

export function setShaderProvider(p: ShaderProvider): void {
  provider = p;
  resolved.clear();
}

const INCLUDE = /^[ \t]*#include\s+"([\w-]+)"[ \t]*$/gm;

/** The WGSL source of shaders/<name>.wgsl with its #include lines expanded. */
export function shaderSource(name: string): string {
  const hit = resolved.get(name);
  if (hit !== undefined) return hit;
  if (!provider) throw new Error('No shader provider registered: create the GPU context through createNodeGpu() or createBrowserGpu()');
  const seen = new Set<string>([name]);
  const expand = (text: string): string =>
    text.replace(INCLUDE, (_m, inc: string) => {
      if (seen.has(inc)) return '';
      seen.add(inc);
      return expand(provider!(inc));
    });
  const out = expand(provider(name));
  resolved.set(name, out);
  return out;
}
