import { CHEMOTAXIS_ACT_SLOTS } from '../../src/envs/chemotaxis.ts';
import { chemotaxisEnv } from '../../src/envs/registry.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { rngU32, rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';
import { envParityPair, SENTINEL, thrownAt } from './env-parity.ts';

/** Slot values that are not plain spikes, to hold the twin's reading (x > 0.5) to the kernel's. */
const ODD_SLOTS = [-3, -0.4, 0.5, 0.5000001, 0.49, 1.4, 9];

/**
 * Chemotaxis GPU vs CPU twin through the registry and the two executors (as mountain-car-parity.ts):
 * the env's ops from `envOps(ENVS.chemotaxis)` in a step program of their own; action rows of
 * stride 15 with the 12 motor slots from word 2, written from the host before every step (random
 * spikes, 1 in 5 slots on some steps an odd float); observation rows of stride 5, slot 1, whose
 * other words hold a sentinel. Every 10 steps the even envs are thrown (probability 1/2) to a point
 * drawn from the square [-3, 3]^2 with a random heading, so worms near the peak, past it and far
 * away are all stepped. Before every step both sides get the twin's state. Compared after the
 * reset and every step: counters, flags, rewards and the words outside the slot exactly; state
 * and observations within the suite's tolerance. `notes`: moves that reversed (rev > fwd), moves
 * that turned, episodes truncated. With `ticks` > 1 the env moves on every ticks-th step on the
 * spikes summed since the last move (`env.ticks`); the counts are of those moves.
 */
export async function chemotaxisParity(ctx: GpuContext, numEnvs = 256, steps = 320, ticks = 1): Promise<ParityReport> {
  const env = chemotaxisEnv(ticks);
  const E = numEnvs,
    AS = 15,
    AO = 2,
    OS = 5,
    OO = 1;
  let truncated = 0,
    reversals = 0,
    turns = 0,
    oddSlots = 0,
    moves = 0;
  const pair = envParityPair(ctx, env, E, 4242, { stride: AS, offset: AO }, { stride: OS, offset: OO }, true);
  const { cpu, act } = pair;
  try {
    await pair.start();
    for (let s = 0; s < steps; s++) {
      const state = (await cpu.read('env.state')) as Float32Array;
      const before = (await cpu.read('env.counters')) as Uint32Array;
      for (let e = 0; e < E; e++) {
        if (thrownAt(e, s)) {
          state[e] = 6 * rngUniform(8, Stream.test, e * 3, s) - 3;
          state[E + e] = 6 * rngUniform(8, Stream.test, e * 3 + 1, s) - 3;
          state[2 * E + e] = 7 * rngUniform(8, Stream.test, e * 3 + 2, s) - 3.5;
        }
      }
      act.fill(SENTINEL);
      for (let e = 0; e < E; e++) {
        let fwd = state[5 * E + e]!,
          rev = state[6 * E + e]!,
          turn = state[7 * E + e]!;
        for (let k = 0; k < CHEMOTAXIS_ACT_SLOTS; k++) {
          const odd = s % 7 === 3 && rngU32(9, Stream.test, e * 16 + k, s) % 5 === 0;
          const v = odd ? ODD_SLOTS[rngU32(10, Stream.test, e * 16 + k, s) % ODD_SLOTS.length]! : rngU32(5, Stream.test, e * 16 + k, s) & 1;
          act[e * AS + AO + k] = v;
          oddSlots += odd ? 1 : 0;
          const spike = Math.fround(v) > 0.5 ? 1 : 0;
          if (k < 2) fwd += spike;
          else if (k < 4) rev += spike;
          else turn += k < 8 ? spike : -spike;
        }
        if (before[2 * E + e] || (before[e]! + 1) % ticks !== 0) continue; // a reset, or a tick between moves
        moves++;
        reversals += rev > fwd ? 1 : 0;
        turns += turn !== 0 ? 1 : 0;
      }
      pair.write(state, act);
      await pair.step(1);
      await pair.compare();
      const ct = await cpu.read('env.counters');
      for (let e = 0; e < E; e++) truncated += ct[4 * E + e]!;
    }
  } finally {
    pair.destroy();
  }
  return { name: 'chemotaxis-step', ...pair.tally, notes: { truncated, moves, reversals, turns, oddSlots, maxEpisodeSteps: env.maxEpisodeSteps } };
}
