import { beforeEach, describe, expect, it } from 'vitest';
import { registerConsts, setShaderProvider, shaderSource } from '../../src/gpu/shader-source.ts';

// The preprocessor over an in-memory shaders/ folder (each test sets its own; shaderSource caches per provider).
let files: Record<string, string> = {};
beforeEach(() => {
  files = {};
  setShaderProvider((name) => {
    const text = files[name];
    if (text === undefined) throw new Error(`shader not found: shaders/${name}.wgsl`);
    return text;
  });
});

const ENTRY = '@compute @workgroup_size(WG)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {';

describe('WGSL directives', () => {
  it('#kernel i: the WG override, the entry point and the linear index', () => {
    files.k = '#kernel i\n  out[i] = 1.0;\n}\n';
    expect(shaderSource('k')).toBe(`override WG: u32 = 64;\n\n${ENTRY}\n  let i = linear_index(gid, nwg, WG);\n  out[i] = 1.0;\n}\n`);
  });

  it('#kernel i < EXPR and r < ALIAS = EXPR: the bounds check, with the alias declared first', () => {
    files.a = '#kernel i < params.count\n}\n';
    expect(shaderSource('a')).toContain('  let i = linear_index(gid, nwg, WG);\n  if (i >= params.count) { return; }\n}');
    files.b = '#kernel r < R = params.replicas\n}\n';
    expect(shaderSource('b')).toContain('  let r = linear_index(gid, nwg, WG);\n  let R = params.replicas;\n  if (r >= R) { return; }\n}');
  });

  it('#kernel i: r < .., n < ..: the (replica, item) split, item fastest; compound bounds in parentheses', () => {
    files.k = '#kernel i: r < R = params.replicas, n < N = params.neurons\n}\n';
    expect(shaderSource('k')).toContain(
      ['  let i = linear_index(gid, nwg, WG);', '  let R = params.replicas;', '  let N = params.neurons;', '  if (i >= R * N) { return; }', '  let r = i / N;', '  let n = i - r * N;'].join('\n'),
    );
    files.c = '#kernel q: x < params.inputs, k < params.bins + 1u\n}\n';
    expect(shaderSource('c')).toContain(['  if (q >= params.inputs * (params.bins + 1u)) { return; }', '  let x = q / (params.bins + 1u);', '  let k = q - x * (params.bins + 1u);'].join('\n'));
  });

  it('#kernel ... with BUILTIN name adds builtins; #index puts the index later in the body', () => {
    files.k = '#kernel with workgroup_id wid, local_invocation_index lid\n  if (SPLIT) { return; }\n  #index t < params.count\n}\n';
    expect(shaderSource('k')).toBe(
      'override WG: u32 = 64;\n\n@compute @workgroup_size(WG)\n' +
        'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n' +
        '  if (SPLIT) { return; }\n  let t = linear_index(gid, nwg, WG);\n  if (t >= params.count) { return; }\n}\n',
    );
  });

  it('#kernel inside an #include expands in the including kernel', () => {
    files.body = '#kernel e < E = params.numEnvs\n  step(e);\n}\n';
    files.env = 'fn step(e: u32) {}\n#include "body"\n';
    expect(shaderSource('env')).toContain('  let E = params.numEnvs;\n  if (e >= E) { return; }\n  step(e);');
  });

  it('#consts PREFIX: one u32 constant per entry of the registered table, keys in upper snake case', () => {
    registerConsts('TST', { active: 0, adamT: 5, log2Size: 7 });
    files.k = '#consts TST\n';
    expect(shaderSource('k')).toBe('const TST_ACTIVE: u32 = 0u;\nconst TST_ADAM_T: u32 = 5u;\nconst TST_LOG2_SIZE: u32 = 7u;\n');
  });

  it('#include "name" functions: the file and its includes without binding lines, #kernel block or the functions the includer defines', () => {
    files.inner = '#bindings 0 read x: array<f32>\nfn shared() {}\n';
    files.k =
      '#include "inner"\n@group(0) @binding(1) var<storage, read_write> y: array<f32>;\nfn hook(j: u32) -> f32 { return x[j]; }\nfn body(i: u32) { y[i] = hook(i); }\n#kernel i\n  if (i > 1u) { body(i); }\n}\n';
    files.fused = 'fn hook(j: u32) -> f32 { return 0.0; }\n#include "k" functions\n#kernel i\n  body(i);\n}\n';
    const src = shaderSource('fused');
    expect(src).not.toContain('@binding');
    expect(src).toContain('fn shared() {}');
    expect(src).toContain('fn body(i: u32) { y[i] = hook(i); }');
    expect(src.match(/fn hook/g)).toHaveLength(1);
    expect(src).toContain('fn hook(j: u32) -> f32 { return 0.0; }');
    expect(src.match(/fn main/g)).toHaveLength(1);
    expect(src).not.toContain('if (i > 1u)');
  });

  it('#view ARENA name@OFFSET: every name[EXPR] indexes the arena, nested and repeated indices included', () => {
    files.k = '#view af a@params.va, b@params.vb\nfn f(i: u32) { a[i * 2u] = b[a[i] + b[i]] + xa[i] + p.a[i]; }\n';
    expect(shaderSource('k')).toBe('\nfn f(i: u32) { af[params.va + (i * 2u)] = af[params.vb + (af[params.va + (i)] + af[params.vb + (i)])] + xa[i] + p.a[i]; }\n');
  });

  it('a bad spec, builtin or table is an error naming the shader and the line', () => {
    files.a = '#kernel i: r < params.replicas\n}\n';
    expect(() => shaderSource('a')).toThrow(/a\.wgsl: bad #index\/#kernel 'i: r < params.replicas'/);
    files.b = '#kernel i with subgroup_id s\n}\n';
    expect(() => shaderSource('b')).toThrow(/b\.wgsl: bad #kernel builtin 'subgroup_id s'/);
    files.c = '#consts NOPE\n';
    expect(() => shaderSource('c')).toThrow(/c\.wgsl asks for #consts NOPE, which no registerConsts call declares/);
  });
});
