import { ParamsLayout } from '../gpu/params.ts';
import type { KernelDef, ReplicaRange } from '../run/kernel-def.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import type { Slot } from './cartpole-gpu.ts';
import { MultiplexerCpu } from './multiplexer.ts';
import { envHeadValues, envSlotFields } from './env-kernel.ts';

/** multiplexer-step's layout: env count, reset seed, mode, the act / obs slots (as every env op) and the size. */
export interface MultiplexerOpLayout {
  numEnvs: number;
  seed: number;
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
  /** Address bits k: k + 2^k inputs (4: the paper's 20-bit multiplexer). */
  addressBits: number;
}

export const MULTIPLEXER_PARAMS = new ParamsLayout('MultiplexerParams', {
  ...envSlotFields(),
  addressBits: 'u32',
  obsDim: 'u32',
});

/** The parity suite that runs it (test/parity/suites.ts): the weight-max rule's one-step program on the 11-bit multiplexer. */
export const MULTIPLEXER_PARITY = 'chung-ac bandit step x40 (multiplexer-11, weightmax)';

/**
 * The multiplexer as a contextual bandit in the env registry (shaders/multiplexer-step.wgsl): every
 * episode is one step, scored (+1 / -1, terminated) and followed at once by the next input, so no
 * step is an autoreset. `env.state` holds each env's target; the twin is MultiplexerCpu's reset /
 * stepBandit over the program's arrays (its action: actIn > 0.5 outputs +1).
 */
export const MULTIPLEXER_STEP: KernelDef<MultiplexerOpLayout> = paramsKernelDef<MultiplexerOpLayout, typeof MULTIPLEXER_PARAMS.fields>({
  wgsl: 'multiplexer-step',
  params: MULTIPLEXER_PARAMS,
  bindings: ['state', 'counters', 'reward', 'actIn', 'obsOut'],
  parity: MULTIPLEXER_PARITY,
  values: (l) => ({
    ...envHeadValues(l),
    addressBits: l.addressBits,
    obsDim: l.addressBits + (1 << l.addressBits),
  }),
  invocations: (l) => l.numEnvs,
  cpu: (l, b, range?: ReplicaRange) => {
    const E = l.numEnvs;
    // A replica range (the CPU executor's workers): steps envs [e0, e1) only (resets are never split).
    const [e0, e1] = range ?? [0, E];
    const counters = b.counters as Uint32Array;
    const env = new MultiplexerCpu(E, l.addressBits, { target: b.state as Float32Array, counters, reward: b.reward as Float32Array });
    env.seed = l.seed >>> 0;
    const actIn = b.actIn as Float32Array,
      obsOut = b.obsOut as Float32Array;
    const actions = new Uint8Array(E);
    const n = env.obsDim;
    return () => {
      if (l.mode === 1) {
        env.reset(l.seed);
        counters.fill(0, 0, E);
      } else {
        for (let e = e0; e < e1; e++) actions[e] = actIn[e * l.act.stride + l.act.offset]! > 0.5 ? 1 : 0;
        env.stepBandit(actions, e0, e1);
        counters.fill(1, e0, e1);
      }
      for (let e = e0; e < e1; e++) for (let c = 0; c < n; c++) obsOut[e * l.obs.stride + l.obs.offset + c] = env.bits[e * n + c]!;
    };
  },
});

/** The registered multiplexers' sizes: address bits 1..6 (3, 6, 11, 20, 37 and 70 inputs). */
export const MULTIPLEXER_ADDRESS_BITS = [1, 2, 3, 4, 5, 6] as const;

/** The registered name of the multiplexer with k address bits: 'multiplexer' (k = 4, the paper's 20-bit one), else 'multiplexer-<k + 2^k>'. */
export function multiplexerEnvName(k: number): string {
  if (!(MULTIPLEXER_ADDRESS_BITS as readonly number[]).includes(k)) throw new RangeError(`the registered multiplexers have 1 to 6 address bits, got ${k}`);
  return k === 4 ? 'multiplexer' : `multiplexer-${k + (1 << k)}`;
}

/** The env-registry entry of the multiplexer with k address bits. */
export function multiplexerEnv(k: number) {
  return {
    obsDim: k + (1 << k),
    numActions: 2,
    maxEpisodeSteps: 1,
    stateFloats: 1,
    kernel: MULTIPLEXER_STEP,
    layout: (numEnvs: number, seed: number, mode: 0 | 1, act: Slot, obs: Slot) => ({ numEnvs, seed, mode, act, obs, addressBits: k }),
  };
}
