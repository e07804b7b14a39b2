/**
 * Where WGSL text comes from. The same files in shaders/ serve Node (read from disk) and the
 * browser (bundled by vite); each platform entry registers a provider once. `#include "name"`
 * lines are replaced by shaders/name.wgsl (once per module), so helpers like the RNG have one copy;
 * `#struct Name` lines by the struct's declaration generated from its TypeScript ParamsLayout, so a
 * params struct is written once; `#bindings FROM access name: type; ...` lines by the
 * `@group(0) @binding(i)` declarations, one line per kernel instead of one per binding.
 */
export type ShaderProvider = (name: string) => string;

let provider: ShaderProvider | undefined;
const resolved = new Map<string, string>();

export function setShaderProvider(p: ShaderProvider): void {
  provider = p;
  resolved.clear();
}

const INCLUDE = /^[ \t]*#include\s+"([\w-]+)"[ \t]*$/gm;
const STRUCT = /^[ \t]*#struct\s+(\w+)[ \t]*$/gm;
const BINDINGS = /^[ \t]*#bindings\s+(\d+)\s+(.*)$/gm;

/**
 * `#bindings FROM access name: type; ...` -> one `@group(0) @binding(i)` declaration per entry,
 * numbered from FROM; access is uniform, read or read_write (storage).
 */
function expandBindings(shader: string, from: string, list: string): string {
  return list
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e, k) => {
      const m = /^(uniform|read|read_write)\s+(\w+)\s*:\s*(.+)$/.exec(e);
      if (!m) throw new Error(`${shader}.wgsl: bad #bindings entry '${e}' (want 'uniform|read|read_write name: type')`);
      const space = m[1] === 'uniform' ? 'uniform' : `storage, ${m[1]}`;
      return `@group(0) @binding(${Number(from) + k}) var<${space}> ${m[2]}: ${m[3]};`;
    })
    .join('\n');
}

/** WGSL struct declarations generated from their TypeScript definitions (ParamsLayout registers each). */
const structs = new Map<string, string>();

/** Register the WGSL declaration of a struct that shaders ask for with `#struct Name`. */
export function registerStruct(name: string, wgsl: string): void {
  structs.set(name, wgsl);
}

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
  const out = expand(provider(name)).replace(BINDINGS, (_m, from: string, list: string) => expandBindings(name, from, list)).replace(STRUCT, (_m, struct: string) => {
    const decl = structs.get(struct);
    if (!decl) throw new Error(`${name}.wgsl asks for #struct ${struct}, which no ParamsLayout declares (import the module that defines it first)`);
    return decl;
  });
  resolved.set(name, out);
  return out;
}
