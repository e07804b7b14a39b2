import type { CpuOp, HostArray, KernelDef } from '../run/kernel-def.ts';
import type { Slot } from './env-kernel.ts';
import { LunarLanderCpu } from './lunar-lander.ts';
import { LUNAR_LANDER_NUM_ACTIONS, LUNAR_LANDER_OBS_DIM, LUNAR_LANDER_V2 } from './lunar-lander-params.ts';

/** lunar-lander-step's layout: env count, reset seed, mode, and the act / obs slots (as every env op). */
export interface LunarLanderOpLayout {
  numEnvs: number;
  seed: number;
  mode: 0 | 1;
  act: Slot;
  obs: Slot;
}

/** What a checkpoint holds of the worlds: each env's episode and its actions since that reset. */
interface LunarState {
  episodes: number[];
  history: number[][];
}

/**
 * The batched LunarLander of one program: shared by its step and reset ops and both parities (they
 * bind the same `env.counters` array), with each env's actions since its last reset for replay.
 */
interface Shared {
  env: LunarLanderCpu;
  history: number[][];
}
const shared = new WeakMap<HostArray, Shared>();

/**
 * LunarLander-v2 (Box2D on planck) as a host-only kernel: it runs on the CPU on both backends; on
 * WebGPU the executor downloads the action rows, runs it, and uploads observations, reward and
 * counters (one readback and one upload per step). Its counters and reward are copied into the
 * program's `env.counters` / `env.reward` after every step, so rules read them as from any env.
 * Actions are the float index in the act slot, `round` then clamped to 0..3 as the GPU envs read it.
 * Checkpoints hold each env's episode number and its actions since that reset; a resume rebuilds
 * the worlds by replaying them (`LunarLanderCpu.replay`).
 */
export const LUNAR_LANDER_STEP: KernelDef<LunarLanderOpLayout> = {
  wgsl: 'lunar-lander-step',
  uniform: false,
  bindings: ['state', 'counters', 'reward', 'actIn', 'obsOut'],
  parity: 'test/run/bridge.test.ts',
  host: { writes: ['counters', 'reward', 'obsOut'] },
  cpu: (l, b): CpuOp => {
    const E = l.numEnvs;
    const counters = b.counters as Uint32Array,
      reward = b.reward as Float32Array;
    const actIn = b.actIn as Float32Array,
      obsOut = b.obsOut as Float32Array;
    let sh = shared.get(counters);
    if (!sh) shared.set(counters, (sh = { env: new LunarLanderCpu(E), history: Array.from({ length: E }, () => []) }));
    const { env, history } = sh;
    const actions = new Uint8Array(E);
    const obs = new Float32Array(E * LUNAR_LANDER_OBS_DIM);
    const publish = () => {
      const c = [env.steps, env.episodes, env.autoresetPending, env.terminated, env.truncated];
      c.forEach((a, k) => counters.set(a, k * E));
      reward.set(env.reward);
      env.observations(obs);
      for (let e = 0; e < E; e++) for (let c2 = 0; c2 < LUNAR_LANDER_OBS_DIM; c2++) obsOut[e * l.obs.stride + l.obs.offset + c2] = obs[e * LUNAR_LANDER_OBS_DIM + c2]!;
    };
    const op: CpuOp = Object.assign(
      () => {
        if (l.mode === 1) {
          env.reset(l.seed);
          for (const h of history) h.length = 0;
        } else {
          for (let e = 0; e < E; e++) {
            const x = Math.round(actIn[e * l.act.stride + l.act.offset]!);
            actions[e] = Math.min(Math.max(Number.isFinite(x) ? x : 0, 0), LUNAR_LANDER_NUM_ACTIONS - 1);
          }
          const resetting = Array.from(env.autoresetPending);
          env.step(actions);
          for (let e = 0; e < E; e++) {
            if (resetting[e]) history[e]!.length = 0;
            else history[e]!.push(actions[e]!);
          }
        }
        publish();
      },
      {
        save: (): LunarState => ({ episodes: Array.from(env.episodes), history: history.map((h) => [...h]) }),
        load: (s: unknown) => {
          const st = s as LunarState;
          env.seed = l.seed >>> 0;
          for (let e = 0; e < E; e++) {
            history[e] = [...st.history[e]!];
            env.replay(e, st.episodes[e]!, history[e]!);
          }
          publish();
        },
      },
    );
    return op;
  },
};

export const LUNAR_LANDER_ENV = {
  obsDim: LUNAR_LANDER_OBS_DIM,
  numActions: LUNAR_LANDER_NUM_ACTIONS,
  maxEpisodeSteps: LUNAR_LANDER_V2.maxEpisodeSteps,
  stateFloats: 0,
};
