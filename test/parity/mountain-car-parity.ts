import { MOUNTAIN_CAR_V0 as p } from '../../src/envs/mountain-car.ts';
import { ENVS } from '../../src/envs/registry.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { rngU32, rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';
import { envParityPair, SENTINEL, thrownAt } from './env-parity.ts';

/** Actions that are not plain indices, to hold the twin's reading of the float slot to the kernel's. */
const ODD_ACTIONS = [-3, -0.4, 0.5, 1.4, 1.5, 2.5, 9];

/**
 * MountainCar GPU vs CPU twin through the registry and the two executors: the env's ops from
 * `envOps(ENVS['mountain-car'])` in a step program of their own, whose action rows (stride 3, slot
 * 1) are written from the host before every step and whose observation rows (stride 4, slot 1)
 * start as a sentinel that must survive outside the slot. `CpuExecutor` runs `MOUNTAIN_CAR_STEP`'s
 * twin (MountainCarCpu over the program's arrays), `GpuExecutor` the kernel; after the reset and
 * after every step the state, observations, counters and rewards of the two are compared: counters,
 * flags and rewards exactly, floats within tolerance.
 *
 * Random actions almost never drive the car up the hill, so the odd envs run freely (and truncate
 * at 200 steps) while the even envs are thrown, every 10 steps with probability 1/2, into a state
 * drawn uniformly from the whole box (position in [-1.2, 0.6], velocity in [-0.07, 0.07]): those
 * near the goal terminate (autoreset), those near the left wall stop there (`wallStops`: position
 * at the wall and velocity zeroed by the rule), and fast ones reach the velocity clip (`clipped`).
 * Every 7th step some actions are odd floats (`ODD_ACTIONS`: rounded half to even and clamped).
 * Before every step both sides get the twin's state (see cartpole-parity.ts: a hardware GPU may
 * contract a*b+c into an fma), so every step starts from the same floats.
 */
export async function mountainCarParity(ctx: GpuContext, numEnvs = 256, steps = 420): Promise<ParityReport> {
  const env = ENVS['mountain-car'];
  const E = numEnvs,
    AS = 3,
    AO = 1,
    OS = 4,
    OO = 1;
  const minPos = Math.fround(p.minPosition),
    maxSpeed = Math.fround(p.maxSpeed);
  let terminated = 0,
    truncated = 0,
    wallStops = 0,
    clipped = 0,
    oddActions = 0;
  const pair = envParityPair(ctx, env, E, 31337, { stride: AS, offset: AO }, { stride: OS, offset: OO });
  const { cpu, act } = pair;
  try {
    await pair.start();
    for (let s = 0; s < steps; s++) {
      const state = (await cpu.read('env.state')) as Float32Array;
      for (let e = 0; e < E; e++) {
        if (thrownAt(e, s)) {
          state[e] = p.minPosition + (p.maxPosition - p.minPosition) * rngUniform(8, Stream.test, e * 2, s);
          state[E + e] = p.maxSpeed * (2 * rngUniform(8, Stream.test, e * 2 + 1, s) - 1);
        }
      }
      act.fill(SENTINEL);
      for (let e = 0; e < E; e++) {
        const odd = s % 7 === 3 && e % 3 === 0;
        act[e * AS + AO] = odd ? ODD_ACTIONS[rngU32(9, Stream.test, e, s) % ODD_ACTIONS.length]! : rngU32(5, Stream.test, e, s) % 3;
        oddActions += odd ? 1 : 0;
      }
      pair.write(state, act);
      const pending = (await cpu.read('env.counters')).slice(2 * E, 3 * E);
      await pair.step(1);
      await pair.compare();
      const st = await cpu.read('env.state'),
        ct = await cpu.read('env.counters');
      for (let e = 0; e < E; e++) {
        terminated += ct[3 * E + e]!;
        truncated += ct[4 * E + e]!;
        if (!pending[e] && st[e] === minPos && st[E + e] === 0) wallStops++;
        if (Math.abs(st[E + e]!) === maxSpeed) clipped++;
      }
    }
  } finally {
    pair.destroy();
  }
  return { name: 'mountain-car-step', ...pair.tally, notes: { episodesEnded: terminated + truncated, terminated, truncated, wallStops, clipped, oddActions } };
}
