/**
 * Where WGSL text comes from. The same files in shaders/ serve Node (read from disk) and the
 * browser (bundled by vite); each platform entry registers a provider once. `#include "name"`
 * lines are replaced by shaders/name.wgsl (once per module), so helpers like the RNG have one copy;
 * `#struct Name` lines by the struct's declaration generated from its TypeScript ParamsLayout, so a
 * params struct is written once; `#bindings FROM access name: type; ...` lines by the
 * `@group(0) @binding(i)` declarations, one line per kernel instead of one per binding; `#consts
 * PREFIX` by `const PREFIX_NAME: u32 = v;` lines generated from a TypeScript table of u32 indices
 * (registerConsts), so a buffer layout shared by kernels and twins is written once; `#kernel`
 * and `#index` lines by the entry point of a 1-D kernel and its invocation index, bounds check and
 * (replica, item) split (see expandIndex), so no kernel writes that prologue out by hand.
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
const CONSTS = /^[ \t]*#consts\s+(\w+)[ \t]*$/gm;
const KERNEL = /^[ \t]*#kernel\b[ \t]*(.*)$/gm;
const INDEX = /^[ \t]*#index\b[ \t]*(.*)$/gm;

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

/** An expression as a factor of a product: bare names and numbers as they are, anything else in parentheses. */
const factor = (e: string): string => (/^[\w.]+$/.test(e) ? e : `(${e})`);

/** `[ALIAS =] EXPR` -> the bound's `let` line (when aliased) and the name to compare against. */
function bound(spec: string): { lets: string[]; expr: string } {
  const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.+)$/.exec(spec.trim());
  return m ? { lets: [`let ${m[1]} = ${m[2]};`], expr: m[1]! } : { lets: [], expr: spec.trim() };
}

/**
 * `#index SPEC` -> the invocation's linear index (the grid may fold into y, see dispatchGrid in
 * kernel.ts), its bounds check and split; `return`s past the end, so it stands in a function
 * without a result (the entry point). SPEC is one of
 *   `i`                         just `let i = linear_index(gid, nwg, WG);`
 *   `i < [A =] EXPR`            and `let A = EXPR;` then `if (i >= A) { return; }`
 *   `i: r < [A =] EXPR, n < [B =] EXPR`   i over the pairs (r, n), n fastest: the bound lets, then
 *                               `if (i >= A * B) { return; }`, `let r = i / B;`, `let n = i - r * B;`
 */
function expandIndex(shader: string, spec: string): string {
  const bad = (why: string) => new Error(`${shader}.wgsl: bad #index/#kernel '${spec}' (${why})`);
  const lines: string[] = [];
  const flat = /^(\w+)\s*:\s*(.+)$/.exec(spec);
  if (flat) {
    const i = flat[1]!;
    const dims = flat[2]!.split(',').map((d) => /^\s*(\w+)\s*<\s*(.+?)\s*$/.exec(d));
    if (dims.length !== 2 || dims.some((d) => !d)) throw bad(`want 'i: r < [A =] EXPR, n < [B =] EXPR'`);
    const [outer, inner] = dims.map((d) => ({ name: d![1]!, ...bound(d![2]!) }));
    lines.push(`let ${i} = linear_index(gid, nwg, WG);`, ...outer!.lets, ...inner!.lets);
    lines.push(`if (${i} >= ${factor(outer!.expr)} * ${factor(inner!.expr)}) { return; }`);
    lines.push(`let ${outer!.name} = ${i} / ${factor(inner!.expr)};`, `let ${inner!.name} = ${i} - ${outer!.name} * ${factor(inner!.expr)};`);
  } else {
    const m = /^(\w+)\s*(?:<\s*(.+?))?\s*$/.exec(spec);
    if (!m) throw bad(`want 'i', 'i < [A =] EXPR' or 'i: r < [A =] EXPR, n < [B =] EXPR'`);
    lines.push(`let ${m[1]} = linear_index(gid, nwg, WG);`);
    if (m[2] !== undefined) {
      const b = bound(m[2]);
      lines.push(...b.lets, `if (${m[1]} >= ${b.expr}) { return; }`);
    }
  }
  return lines.map((l) => `  ${l}`).join('\n');
}

/**
 * `#kernel [SPEC] [with BUILTIN name, ...]` -> `override WG: u32 = 64;` and the entry point
 * `@compute @workgroup_size(WG) fn main(gid, nwg[, the named builtins]) {`, then `#index SPEC`
 * when SPEC is given. The kernel's body follows and closes the brace.
 */
function expandKernel(shader: string, line: string): string {
  const m = /^(.*?)\s*(?:\bwith\s+(.+))?$/.exec(line.trim())!;
  const extra = (m[2] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => {
      const x = /^(workgroup_id|local_invocation_id|local_invocation_index)\s+(\w+)$/.exec(b);
      if (!x) throw new Error(`${shader}.wgsl: bad #kernel builtin '${b}' (want 'workgroup_id|local_invocation_id|local_invocation_index name')`);
      return `@builtin(${x[1]}) ${x[2]}: ${x[1] === 'local_invocation_index' ? 'u32' : 'vec3<u32>'}`;
    });
  const args = ['@builtin(global_invocation_id) gid: vec3<u32>', '@builtin(num_workgroups) nwg: vec3<u32>', ...extra].join(', ');
  const head = `override WG: u32 = 64;\n\n@compute @workgroup_size(WG)\nfn main(${args}) {`;
  return m[1] ? `${head}\n${expandIndex(shader, m[1])}` : head;
}

/** WGSL struct declarations generated from their TypeScript definitions (ParamsLayout registers each). */
const structs = new Map<string, string>();

/** Register the WGSL declaration of a struct that shaders ask for with `#struct Name`. */
export function registerStruct(name: string, wgsl: string): void {
  structs.set(name, wgsl);
}

/** u32 constant tables shaders ask for with `#consts PREFIX` (registerConsts). */
const constTables = new Map<string, Readonly<Record<string, number>>>();

/**
 * Register a table of u32 constants (e.g. the fields of a per-replica state buffer): `#consts
 * PREFIX` expands to `const PREFIX_KEY: u32 = v;` per entry, the key in upper snake case (adamT ->
 * PREFIX_ADAM_T).
 */
export function registerConsts(prefix: string, table: Readonly<Record<string, number>>): void {
  constTables.set(prefix, table);
}

function expandConsts(shader: string, prefix: string): string {
  const table = constTables.get(prefix);
  if (!table) throw new Error(`${shader}.wgsl asks for #consts ${prefix}, which no registerConsts call declares (import the module that defines it first)`);
  return Object.entries(table)
    .map(([k, v]) => `const ${prefix}_${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}: u32 = ${v}u;`)
    .join('\n');
}

/** The WGSL source of shaders/<name>.wgsl with its directives (#include, #consts, #kernel, #index, #bindings, #struct) expanded. */
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
  const out = expand(provider(name))
    .replace(CONSTS, (_m, prefix: string) => expandConsts(name, prefix))
    .replace(KERNEL, (_m, line: string) => expandKernel(name, line))
    .replace(INDEX, (_m, spec: string) => expandIndex(name, spec.trim()))
    .replace(BINDINGS, (_m, from: string, list: string) => expandBindings(name, from, list))
    .replace(STRUCT, (_m, struct: string) => {
      const decl = structs.get(struct);
      if (!decl) throw new Error(`${name}.wgsl asks for #struct ${struct}, which no ParamsLayout declares (import the module that defines it first)`);
      return decl;
    });
  resolved.set(name, out);
  return out;
}
