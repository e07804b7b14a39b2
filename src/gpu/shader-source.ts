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

const INCLUDE = /^[ \t]*#include\s+"([\w-]+)"(?:[ \t]+(functions))?[ \t]*$/gm;
const STRUCT = /^[ \t]*#struct\s+(\w+)[ \t]*$/gm;
const BINDINGS = /^[ \t]*#bindings\s+(\d+)\s+(.*)$/gm;
const CONSTS = /^[ \t]*#consts\s+(\w+)[ \t]*$/gm;
const KERNEL = /^[ \t]*#kernel\b[ \t]*(.*)$/gm;
const INDEX = /^[ \t]*#index\b[ \t]*(.*)$/gm;
const VIEW = /^[ \t]*#view\s+(\w+)\s+(.*)$/gm;
const BINDING_LINE = /^[ \t]*(#bindings\b.*|@group\(\d+\)\s*@binding\(\d+\).*)$/gm;

/** The index just past the brace that closes the block open at `from` (depth 1 there), or -1. */
function blockEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Names of the functions a WGSL text defines at the start of a line. */
const definedFunctions = (text: string): Set<string> => new Set([...text.matchAll(/^fn\s+(\w+)\s*\(/gm)].map((m) => m[1]!));

/**
 * An included kernel file's functions alone (`#include "name" functions`): its binding lines
 * (`#bindings`, `@group @binding` declarations) and its `#kernel` block (the line to the brace that
 * closes the entry point) are dropped, and so are the functions the including file defines itself
 * (its hooks win, e.g. where the buffer an `mlp_input` reads from differs), so a fused kernel can
 * call the bodies of many kernels.
 */
function functionsOnly(shader: string, text: string, own: Set<string>): string {
  let out = text.replace(BINDING_LINE, '');
  const at = out.search(/^[ \t]*#kernel\b/m);
  if (at >= 0) {
    const end = blockEnd(out, out.indexOf('\n', at));
    if (end < 0) throw new Error(`${shader}.wgsl: the #kernel block of an included file has no closing brace`);
    out = out.slice(0, at) + out.slice(end);
  }
  for (const fn of own) {
    const m = new RegExp(`^fn\\s+${fn}\\s*\\(`, 'm').exec(out);
    if (!m) continue;
    const end = blockEnd(out, out.indexOf('{', m.index) + 1);
    if (end < 0) throw new Error(`${shader}.wgsl: fn ${fn} has no closing brace`);
    out = out.slice(0, m.index) + out.slice(end);
  }
  return out;
}

/**
 * `#view ARENA name@OFFSET, ...` -> every `name[EXPR]` of the module becomes `ARENA[OFFSET + (EXPR)]`:
 * named buffers packed into one binding (a fused kernel would need more storage bindings than an
 * adapter allows) while the kernel bodies it includes keep indexing them by name.
 */
function expandViews(shader: string, text: string, views: { arena: string; name: string; offset: string }[]): string {
  let out = text;
  for (const v of views) {
    const re = new RegExp(`(?<![\\w.])${v.name}\\[`, 'g');
    let result = '';
    let last = 0;
    for (let m = re.exec(out); m; m = re.exec(out)) {
      let depth = 1;
      let j = m.index + m[0].length;
      for (; j < out.length && depth > 0; j++) {
        if (out[j] === '[') depth++;
        else if (out[j] === ']') depth--;
      }
      if (depth !== 0) throw new Error(`${shader}.wgsl: #view ${v.name}: unclosed '['`);
      const expr = expandViews(shader, out.slice(m.index + m[0].length, j - 1), [v]);
      result += `${out.slice(last, m.index)}${v.arena}[${v.offset} + (${expr})]`;
      last = j;
      re.lastIndex = j;
    }
    out = result + out.slice(last);
  }
  return out;
}

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

/** The WGSL source of shaders/<name>.wgsl with its directives (#include, #view, #consts, #kernel, #index, #bindings, #struct) expanded. */
export function shaderSource(name: string): string {
  const hit = resolved.get(name);
  if (hit !== undefined) return hit;
  if (!provider) throw new Error('No shader provider registered: create the GPU context through createNodeGpu() or createBrowserGpu()');
  const seen = new Set<string>([name]);
  const own = definedFunctions(provider(name));
  const expand = (text: string, functions = false): string =>
    text.replace(INCLUDE, (_m, inc: string, mode?: string) => {
      if (seen.has(inc)) return '';
      seen.add(inc);
      const body = expand(provider!(inc), functions || mode === 'functions');
      return functions || mode === 'functions' ? functionsOnly(inc, body, own) : body;
    });
  const views: { arena: string; name: string; offset: string }[] = [];
  const withViews = expand(provider(name)).replace(VIEW, (_m, arena: string, list: string) => {
    for (const e of list
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const m = /^(\w+)\s*@\s*(.+)$/.exec(e);
      if (!m) throw new Error(`${name}.wgsl: bad #view entry '${e}' (want 'name@OFFSET')`);
      views.push({ arena, name: m[1]!, offset: m[2]!.trim() });
    }
    return '';
  });
  const out = expandViews(name, withViews, views)
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
