import { describe, expect, it } from 'vitest';
import { ACROBOT_STEP } from '../../src/envs/acrobot-gpu.ts';
import { CARTPOLE_STEP } from '../../src/envs/cartpole-gpu.ts';
import { ENVS } from '../../src/envs/registry.ts';
import { registerNodeShaders } from '../../src/gpu/node.ts';
import * as chungAc from '../../src/kernels/chung-ac.ts';
import { CHUNG_CRITIC_BACKWARD, CHUNG_CRITIC_FORWARD } from '../../src/kernels/chung-critic.ts';
import { CLOCK_TICK } from '../../src/kernels/clock.ts';
import { REINFORCE_RECORD, REINFORCE_UPDATE } from '../../src/kernels/reinforce.ts';
import { SPIKE_SAMPLE } from '../../src/kernels/spike-sample.ts';
import { checkBindings, type AnyKernelDef } from '../../src/run/kernel-def.ts';
import { PARITY_SUITES } from '../parity/suites.ts';

const isDef = (v: unknown): v is AnyKernelDef => typeof v === 'object' && v !== null && 'wgsl' in v && 'cpu' in v && 'gpu' in v;

/** Every registered kernel: its bindings match its WGSL and its parity suite exists and lists it. */
const DEFS: AnyKernelDef[] = [
  SPIKE_SAMPLE, REINFORCE_RECORD, REINFORCE_UPDATE, CLOCK_TICK, CARTPOLE_STEP, ACROBOT_STEP, CHUNG_CRITIC_FORWARD, CHUNG_CRITIC_BACKWARD,
  ...Object.values(chungAc).filter(isDef),
  ...Object.values(ENVS).map((e) => e.kernel as AnyKernelDef),
];

describe('kernel registry', () => {
  registerNodeShaders();
  it.each([...new Set(DEFS)].map((d) => [d.wgsl, d] as const))('%s: bindings match the WGSL; its parity suite lists it', (_name, def) => {
    expect(() => checkBindings(def)).not.toThrow();
    const suite = PARITY_SUITES.find((s) => s.name === def.parity);
    expect(suite, `suite '${def.parity}'`).toBeDefined();
    expect(suite!.kernels).toContain(def.wgsl);
  });
  it('the chung-ac module registers all eight kernels', () => {
    expect(Object.values(chungAc).filter(isDef).map((d) => d.wgsl).sort()).toEqual(
      ['chung-ac-adam', 'chung-ac-delay', 'chung-ac-episode', 'chung-ac-gather', 'chung-ac-hidden', 'chung-ac-softmax', 'chung-ac-td', 'chung-ac-trace'],
    );
  });
});
