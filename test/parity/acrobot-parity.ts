import { AcrobotCpu } from '../../src/envs/acrobot.ts';
import { AcrobotGpu } from '../../src/envs/acrobot-gpu.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { readF32 } from '../../src/gpu/readback.ts';
import { rngU32, rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import { thrownAt } from './env-parity.ts';
import type { ParityReport } from './rng-parity.ts';

const OBS = 6;

/**
 * Acrobot GPU vs CPU twin: `steps` steps from the same seed with the same random actions (0, 1, 2).
 * Flags, counters and rewards must match exactly; state and observations within the float
 * tolerance of one step. Before each step the device state is set to the twin's (see
 * cartpole-parity.ts: a hardware GPU may contract a*b+c into fma).
 *
 * A random policy almost never swings Acrobot up, so the odd envs run freely (and truncate at 500
 * steps) while the even envs are thrown, every 10 steps with probability 1/2, into a state drawn
 * uniformly from angles in [-pi, pi] and velocities up to half the clip bounds: many terminate
 * within a few steps (autoreset), and the fast ones wrap their angles and reach the velocity clips
 * (`wrapped`, `clipped` count the steps that did). The last step goes through a second binding
 * with strided action / observation slots.
 *
 * One f32 step from a fast state is ill-conditioned (large dt2^2 terms cancel): from states drawn
 * over the whole box (velocities up to the bounds) the twin is off float64 by up to 3e-3, and a CPU
 * emulation of the kernel with every a*b+c contracted into fma (as a hardware GPU may do) off the
 * twin by up to 7.6e-3. Over this test's steps the emulation stays within 4.9e-6 from states below
 * half the velocity bounds and 9.5e-6 from those above, so `maxAbsError` (resets and steps that
 * start below half the bounds) is held to 1e-5 and `fastMaxAbsError` (steps that start above) to
 * 1e-4 (test/parity/suites.ts); SwiftShader computes both bit for bit.
 */
export async function acrobotParity(ctx: GpuContext, numEnvs = 256, steps = 520): Promise<ParityReport> {
  const gpu = new AcrobotGpu(ctx, numEnvs);
  const cpu = new AcrobotCpu(numEnvs);
  const p = cpu.params;
  const maxVel1 = Math.fround(p.maxVel1),
    maxVel2 = Math.fround(p.maxVel2);
  let exactMismatches = 0,
    maxAbsError = 0,
    fastMaxAbsError = 0,
    fastSteps = 0,
    count = 0,
    terminated = 0,
    truncated = 0,
    clipped = 0,
    wrapped = 0;
  const cmpFloat = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    for (let i = 0; i < b.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(a[i]! - b[i]!));
    count += b.length;
  };
  const cmpExact = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) exactMismatches++;
    count += b.length;
  };
  const rows = new Float32Array(numEnvs * 4);
  const copyRows = () => {
    for (let e = 0; e < numEnvs; e++) rows.set([cpu.theta1[e]!, cpu.theta2[e]!, cpu.dtheta1[e]!, cpu.dtheta2[e]!], e * 4);
  };
  // A step of env e from `rows` is fast when a velocity exceeds half its bound (a reset is not).
  const fastFrom = (e: number, pending: ArrayLike<number>) => !pending[e] && (Math.abs(rows[e * 4 + 2]!) > maxVel1 / 2 || Math.abs(rows[e * 4 + 3]!) > maxVel2 / 2);
  const extra: GPUBuffer[] = [];
  try {
    cmpFloat(await gpu.reset(31337), cpu.reset(31337));
    const actions = new Float32Array(numEnvs);
    // Readbacks every step are fine here: this is a test, not a training loop.
    for (let s = 0; s < steps; s++) {
      copyRows();
      for (let e = 0; e < numEnvs; e++) {
        if (thrownAt(e, s)) {
          const u = (c: number) => 2 * rngUniform(8, Stream.test, e * 4 + c, s) - 1;
          rows[e * 4] = Math.PI * u(0);
          rows[e * 4 + 1] = Math.PI * u(1);
          rows[e * 4 + 2] = (p.maxVel1 / 2) * u(2);
          rows[e * 4 + 3] = (p.maxVel2 / 2) * u(3);
        }
      }
      cpu.setState(rows);
      gpu.setState(rows);
      for (let e = 0; e < numEnvs; e++) actions[e] = rngU32(5, Stream.test, e, s) % 3;
      const pending = cpu.autoresetPending.slice();
      const g = await gpu.step(actions);
      cpu.step(actions);
      const gObs = await readF32(ctx, gpu.obs),
        cObs = cpu.observations();
      for (let e = 0; e < numEnvs; e++) {
        let err = 0;
        for (const [a, b] of [
          [g.theta1, cpu.theta1],
          [g.theta2, cpu.theta2],
          [g.dtheta1, cpu.dtheta1],
          [g.dtheta2, cpu.dtheta2],
        ] as const) {
          err = Math.max(err, Math.abs(a[e]! - b[e]!));
        }
        for (let c = 0; c < OBS; c++) err = Math.max(err, Math.abs(gObs[e * OBS + c]! - cObs[e * OBS + c]!));
        count += 4 + OBS;
        if (fastFrom(e, pending)) {
          fastSteps++;
          fastMaxAbsError = Math.max(fastMaxAbsError, err);
        } else maxAbsError = Math.max(maxAbsError, err);
      }
      cmpExact(g.steps, cpu.steps);
      cmpExact(g.episodes, cpu.episodes);
      cmpExact(g.autoresetPending, cpu.autoresetPending);
      cmpExact(g.terminated, cpu.terminated);
      cmpExact(g.truncated, cpu.truncated);
      cmpExact(g.reward, cpu.reward);
      for (let e = 0; e < numEnvs; e++) {
        terminated += cpu.terminated[e]!;
        truncated += cpu.truncated[e]!;
        if (Math.abs(cpu.dtheta1[e]!) === maxVel1 || Math.abs(cpu.dtheta2[e]!) === maxVel2) clipped++;
        // An angle that jumped by more than pi in one step (dt = 0.2) went round through the wrap.
        if (!pending[e] && (Math.abs(cpu.theta1[e]! - rows[e * 4]!) > Math.PI || Math.abs(cpu.theta2[e]! - rows[e * 4 + 1]!) > Math.PI)) wrapped++;
      }
    }

    // One more step through a binding that reads actions from slot 1 of rows of 2 and writes the
    // observation at offset 2 of rows of 8 (as a fused pipeline's activity rows would).
    const actStride = 2,
      actOffset = 1,
      obsStride = 8,
      obsOffset = 2;
    const actBuf = ctx.createBuffer('acrobot-parity:act', numEnvs * actStride * 4);
    const obsBuf = ctx.createBuffer('acrobot-parity:obs', numEnvs * obsStride * 4);
    extra.push(actBuf, obsBuf);
    copyRows();
    gpu.setState(rows);
    const pending = cpu.autoresetPending.slice();
    const b = gpu.binding({ buffer: actBuf, stride: actStride, offset: actOffset }, { buffer: obsBuf, stride: obsStride, offset: obsOffset });
    const act = new Float32Array(numEnvs * actStride).fill(-7);
    for (let e = 0; e < numEnvs; e++) actions[e] = act[e * actStride + actOffset] = rngU32(5, Stream.test, e, steps) % 3;
    ctx.device.queue.writeBuffer(actBuf, 0, act);
    const sentinel = new Float32Array(numEnvs * obsStride).fill(-7);
    ctx.device.queue.writeBuffer(obsBuf, 0, sentinel);
    await runPass(ctx, 'acrobot-step', (pass) => gpu.encodeStep(pass, b));
    cpu.step(actions);
    const got = await readF32(ctx, obsBuf),
      cObs = cpu.observations();
    for (let e = 0; e < numEnvs; e++) {
      let err = 0;
      for (let c = 0; c < obsStride; c++) {
        const i = e * obsStride + c,
          k = c - obsOffset;
        if (k >= 0 && k < OBS) err = Math.max(err, Math.abs(got[i]! - cObs[e * OBS + k]!));
        else if (got[i] !== sentinel[i]) exactMismatches++; // written outside the slot
      }
      count += obsStride;
      if (fastFrom(e, pending)) fastMaxAbsError = Math.max(fastMaxAbsError, err);
      else maxAbsError = Math.max(maxAbsError, err);
    }
    const g = await gpu.readState();
    cmpExact(g.steps, cpu.steps);
    cmpExact(g.terminated, cpu.terminated);
    cmpExact(g.reward, cpu.reward);
  } finally {
    gpu.destroy();
    for (const buf of extra) buf.destroy();
  }
  return { name: 'acrobot-step', count, exactMismatches, maxAbsError, notes: { episodesEnded: terminated + truncated, terminated, truncated, clipped, wrapped, fastSteps, fastMaxAbsError } };
}
