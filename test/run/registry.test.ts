import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import { ENVS } from '../../src/envs/registry.ts';
import { checkBindings, type AnyKernelDef } from '../../src/run/kernel-def.ts';
import { PARITY_SUITES } from '../parity/suites.ts';

/** Every exported KernelDef in src/, found by shape, so a def cannot escape these checks by not being listed. */
// main.ts runs the CLI when imported; the browser entries need a page; the index.ts barrels only
// re-export (each def is found in its own module).
const modules = import.meta.glob(['../../src/**/*.ts', '!../../src/cli/main.ts', '!../../src/**/browser.ts', '!../../src/**/index.ts'], { eager: true }) as Record<string, Record<string, unknown>>;
const isDef = (v: unknown): v is AnyKernelDef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as AnyKernelDef).wgsl === 'string' &&
  typeof (v as AnyKernelDef).cpu === 'function' &&
  (typeof (v as AnyKernelDef).gpu === 'function' || Boolean((v as AnyKernelDef).host));
const DEFS = new Map<string, AnyKernelDef>();
for (const [file, m] of Object.entries(modules)) for (const [name, v] of Object.entries(m)) if (isDef(v)) DEFS.set(`${file.replace('../../', '')}:${name}`, v);

const dawn = nodeGpuForFile();

describe('kernel registry', () => {
  it('finds the registered kernels', () => {
    const names = [...DEFS.values()].map((d) => d.wgsl);
    for (const k of [
      'spike-sample',
      'reinforce-record',
      'reinforce-update',
      'clock-tick',
      'cartpole-step',
      'acrobot-step',
      'lunar-lander-step',
      'chung-ac-hidden',
      'chung-critic-forward',
      'ott-adam',
      'reward-sparsity',
    ])
      expect(names).toContain(k);
    // Every env in the registry has its kernel registered.
    for (const e of Object.values(ENVS)) expect([...DEFS.values()]).toContain(e.kernel);
    expect(
      [...DEFS.values()]
        .filter((d) => d.wgsl.startsWith('chung-ac-'))
        .map((d) => d.wgsl)
        .sort(),
    ).toEqual(['chung-ac-adam', 'chung-ac-delay', 'chung-ac-episode', 'chung-ac-gather', 'chung-ac-hidden', 'chung-ac-softmax', 'chung-ac-td', 'chung-ac-trace']);
    for (const k of [
      'synq-select-apply',
      'synq-forward',
      'synq-sample-loss',
      'synq-loss-reward',
      'synq-shift-count',
      'synq-td',
      'synq-td-sequential',
      'synq-batch-select',
      'synq-log',
      'synq-snapshot',
      'gd-ce-delta',
      'gd-hidden-delta',
      'gd-weight-step',
    ])
      expect(names).toContain(k);
  });

  it.each([...DEFS.keys()])('%s: its WGSL binds exactly its named bindings, and its parity suite exists and checks it', (key) => {
    const def = DEFS.get(key)!;
    expect(dawn.ctx).toBeDefined();
    if (def.host) {
      // A host-only kernel runs its CPU form on both backends; its test drives it through the bridge.
      expect(readFileSync(def.parity, 'utf8'), `${def.parity} tests ${def.wgsl}`).toContain(def.wgsl);
      return;
    }
    checkBindings(def);
    const suite = PARITY_SUITES.find((s) => s.name === def.parity);
    expect(suite, `parity suite '${def.parity}' of ${key}`).toBeDefined();
    expect(suite!.kernels).toContain(def.wgsl);
  });

  // A shared include is tested through the kernels that expand it: each must reach at least one
  // registered kernel (directly or through another include), whose parity suite then covers it.
  const includesOf = (file: string, seen = new Set<string>()): Set<string> => {
    for (const [, inc] of readFileSync(`shaders/${file}.wgsl`, 'utf8').matchAll(/^#include "([\w-]+)"/gm)) {
      if (!seen.has(inc!)) includesOf(inc!, seen.add(inc!));
    }
    return seen;
  };
  const SHARED = ['common', 'env-common', 'reward-term-common', 'ott-common', 'ott-forward-common', 'ott-mlp-common', 'chung-common', 'chung-softmax-common', 'chung-scatter-common', 'chalk-common'];
  it('lists every shared include', () => {
    expect(
      readdirSync('shaders')
        .filter((f) => /(^|-)common\.wgsl$/.test(f))
        .map((f) => f.replace('.wgsl', ''))
        .sort(),
    ).toEqual([...SHARED].sort());
  });
  it.each(SHARED)('shared include %s is expanded into a registered kernel with a parity suite', (inc) => {
    const users = [...DEFS.values()].filter((d) => !d.host && includesOf(d.wgsl).has(inc)).map((d) => d.wgsl);
    expect(users.length, `no registered kernel includes ${inc}`).toBeGreaterThan(0);
  });

  it('checkBindings names the kernel and both lists when a def drifts from its WGSL', () => {
    const def = [...DEFS.values()].find((d) => d.wgsl === 'reinforce-record')!;
    expect(() => checkBindings({ ...def, bindings: [...def.bindings].reverse() })).toThrow(/reinforce-record\.wgsl binds \["params","counters",.*its kernel definition says \["params","neuronReward"/);
  });
});
