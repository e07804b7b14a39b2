import { AcrobotCpu } from '../../src/envs/acrobot.ts';
import { AcrobotGpu } from '../../src/envs/acrobot-gpu.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { readF32 } from '../../src/gpu/readback.ts';
import { rngU32, rngUniform, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

const OBS = 6;

/**
 * Acrobot GPU vs CPU twin: `steps` steps from the same seed with the same random actions (0, 1, 2).
 * Flags, counters and rewards must match exactly; state and observations within the float
 * tolerance of one step. After each comparison the device state is set to the twin's (see
 * cartpole-parity.ts: a hardware GPU may contract a*b+c into fma).
 *
 * A random policy almost never swings Acrobot up, so the odd envs run freely (and truncate at 500
 * steps) while the even envs are thrown, every 10 steps with probability 1/2, into a state drawn
 * uniformly from the whole box (angles in [-pi, pi], velocities up to the clip bounds): many
 * terminate within a few steps (autoreset), and fast ones wrap their angles and hit the velocity
 * clips (`wrapped`, `clipped` count the steps that did). The last step goes through a second
 * binding with strided action / observation slots.
 */
export async function acrobotParity(ctx: GpuContext, numEnvs = 256, steps = 520): Promise<ParityReport> {
  const gpu = new AcrobotGpu(ctx, numEnvs);
  const cpu = new AcrobotCpu(numEnvs);
  const p = cpu.params;
  const maxVel1 = Math.fround(p.maxVel1), maxVel2 = Math.fround(p.maxVel2);
  let exactMismatches = 0, maxAbsError = 0, count = 0, terminated = 0, truncated = 0, clipped = 0, wrapped = 0;
  const cmpFloat = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    for (let i = 0; i < b.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(a[i]! - b[i]!));
    count += b.length;
  };
  const cmpExact = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) exactMismatches++;
    count += b.length;
  };
  const extra: GPUBuffer[] = [];
  try {
    cmpFloat(await gpu.reset(31337), cpu.reset(31337));
    const rows = new Float32Array(numEnvs * 4);
    const actions = new Float32Array(numEnvs);
    // Readbacks every step are fine here: this is a test, not a training loop.
    for (let s = 0; s < steps; s++) {
      for (let e = 0; e < numEnvs; e++) {
        rows[e * 4] = cpu.theta1[e]!;
        rows[e * 4 + 1] = cpu.theta2[e]!;
        rows[e * 4 + 2] = cpu.dtheta1[e]!;
        rows[e * 4 + 3] = cpu.dtheta2[e]!;
        if (s % 10 === 0 && e % 2 === 0 && rngU32(7, Stream.test, e, s) & 1) {
          const u = (c: number) => 2 * rngUniform(8, Stream.test, e * 4 + c, s) - 1;
          rows[e * 4] = Math.PI * u(0);
          rows[e * 4 + 1] = Math.PI * u(1);
          rows[e * 4 + 2] = p.maxVel1 * u(2);
          rows[e * 4 + 3] = p.maxVel2 * u(3);
        }
      }
      cpu.setState(rows);
      gpu.setState(rows);
      for (let e = 0; e < numEnvs; e++) actions[e] = rngU32(5, Stream.test, e, s) % 3;
      const pending = cpu.autoresetPending.slice();
      const g = await gpu.step(actions);
      cpu.step(actions);
      cmpFloat(g.theta1, cpu.theta1);
      cmpFloat(g.theta2, cpu.theta2);
      cmpFloat(g.dtheta1, cpu.dtheta1);
      cmpFloat(g.dtheta2, cpu.dtheta2);
      cmpFloat(await readF32(ctx, gpu.obs), cpu.observations());
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
    const actStride = 2, actOffset = 1, obsStride = 8, obsOffset = 2;
    const actBuf = ctx.createBuffer('acrobot-parity:act', numEnvs * actStride * 4);
    const obsBuf = ctx.createBuffer('acrobot-parity:obs', numEnvs * obsStride * 4);
    extra.push(actBuf, obsBuf);
    const b = gpu.binding({ buffer: actBuf, stride: actStride, offset: actOffset }, { buffer: obsBuf, stride: obsStride, offset: obsOffset });
    const act = new Float32Array(numEnvs * actStride).fill(-7);
    for (let e = 0; e < numEnvs; e++) actions[e] = act[e * actStride + actOffset] = rngU32(5, Stream.test, e, steps) % 3;
    ctx.device.queue.writeBuffer(actBuf, 0, act);
    const sentinel = new Float32Array(numEnvs * obsStride).fill(-7);
    ctx.device.queue.writeBuffer(obsBuf, 0, sentinel);
    await runPass(ctx, 'acrobot-step', (pass) => gpu.encodeStep(pass, b));
    cpu.step(actions);
    const want = sentinel.slice(), cObs = cpu.observations();
    for (let e = 0; e < numEnvs; e++) for (let c = 0; c < OBS; c++) want[e * obsStride + obsOffset + c] = cObs[e * OBS + c]!;
    cmpFloat(await readF32(ctx, obsBuf), want);
    const g = await gpu.readState();
    cmpExact(g.steps, cpu.steps);
    cmpExact(g.terminated, cpu.terminated);
    cmpExact(g.reward, cpu.reward);
  } finally {
    gpu.destroy();
    for (const buf of extra) buf.destroy();
  }
  return { name: 'acrobot-step', count, exactMismatches, maxAbsError, notes: { episodesEnded: terminated + truncated, terminated, truncated, clipped, wrapped } };
}
