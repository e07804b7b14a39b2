import { describe, expect, it } from 'vitest';
import { AcrobotCpu } from '../../src/envs/acrobot.ts';

/** Gymnasium AcrobotEnv.step (book dynamics, float64), transcribed from acrobot.py. */
function gymStep(s: number[], a: number): number[] {
  const m1 = 1,
    m2 = 1,
    l1 = 1,
    lc1 = 0.5,
    lc2 = 0.5,
    I1 = 1,
    I2 = 1,
    g = 9.8,
    pi = Math.PI;
  const torque = [-1, 0, 1][a]!;
  const dsdt = (y: number[]): number[] => {
    const [theta1, theta2, dtheta1, dtheta2] = y as [number, number, number, number];
    const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(theta2)) + I1 + I2;
    const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(theta2)) + I2;
    const phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - pi / 2.0);
    const phi1 = -m2 * l1 * lc2 * dtheta2 ** 2 * Math.sin(theta2) - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2) + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - pi / 2) + phi2;
    const ddtheta2 = (torque + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
    const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    return [dtheta1, dtheta2, ddtheta1, ddtheta2];
  };
  const dt = 0.2,
    dt2 = dt / 2;
  const add = (y: number[], h: number, k: number[]) => y.map((v, j) => v + h * k[j]!);
  const k1 = dsdt(s);
  const k2 = dsdt(add(s, dt2, k1));
  const k3 = dsdt(add(s, dt2, k2));
  const k4 = dsdt(add(s, dt, k3));
  const ns = s.map((v, j) => v + (dt / 6) * (k1[j]! + 2 * k2[j]! + 2 * k3[j]! + k4[j]!));
  const wrap = (x: number) => {
    while (x > pi) x -= 2 * pi;
    while (x < -pi) x += 2 * pi;
    return x;
  };
  const clip = (x: number, m: number) => Math.min(Math.max(x, -m), m);
  return [wrap(ns[0]!), wrap(ns[1]!), clip(ns[2]!, 4 * pi), clip(ns[3]!, 9 * pi)];
}

const f32 = (xs: number[]) => Array.from(new Float32Array(xs));

describe('AcrobotCpu', () => {
  it('resets inside +-0.1 and is reproducible from the seed', () => {
    const a = new AcrobotCpu(32);
    a.reset(4);
    const b = new AcrobotCpu(32);
    b.reset(4);
    expect(a.theta1).toEqual(b.theta1);
    expect(a.dtheta2).toEqual(b.dtheta2);
    const c = new AcrobotCpu(32);
    c.reset(5);
    expect(c.theta1).not.toEqual(a.theta1);
    for (const arr of [a.theta1, a.theta2, a.dtheta1, a.dtheta2]) for (const v of arr) expect(Math.abs(v)).toBeLessThanOrEqual(0.1);
    const obs = a.observations();
    expect(obs[0]).toBeCloseTo(Math.cos(a.theta1[0]!), 6);
    expect(obs[1]).toBeCloseTo(Math.sin(a.theta1[0]!), 6);
    expect(obs[5]).toBe(a.dtheta2[0]);
  });

  it('matches one float64 RK4 step of the book dynamics within 1e-5 for each action', () => {
    const states = [f32([0.05, -0.07, 0.03, -0.02]), f32([1.3, -2.1, 2.5, -4.0]), f32([-2.9, 0.8, -6.0, 11.0])];
    for (const s of states) {
      for (const a of [0, 1, 2]) {
        const env = new AcrobotCpu(1);
        env.reset(0);
        env.setState(s);
        env.step([a]);
        const want = gymStep(s, a);
        const got = [env.theta1[0]!, env.theta2[0]!, env.dtheta1[0]!, env.dtheta2[0]!];
        for (let k = 0; k < 4; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-5);
        expect(env.reward[0]).toBe(-1);
      }
    }
  });

  it('stays close to the float64 reference over 20 steps from rest', () => {
    const env = new AcrobotCpu(1);
    env.reset(0);
    let s = [env.theta1[0]!, env.theta2[0]!, env.dtheta1[0]!, env.dtheta2[0]!];
    for (let t = 0; t < 20; t++) {
      const a = t % 10 < 5 ? 2 : 0;
      env.step([a]);
      s = gymStep(s, a);
    }
    const got = [env.theta1[0]!, env.theta2[0]!, env.dtheta1[0]!, env.dtheta2[0]!];
    for (let k = 0; k < 4; k++) expect(Math.abs(got[k]! - s[k]!)).toBeLessThan(1e-3);
    expect(Math.abs(s[2]!)).toBeGreaterThan(0.1); // the reference did actually move
  });

  it('wraps angles into [-pi, pi] and clips velocities', () => {
    const env = new AcrobotCpu(1);
    env.reset(0);
    // Both angles leave [-pi, pi] and both velocities exceed their bounds in this step.
    const s = f32([3, -3, 12, -28]);
    env.setState(s);
    env.step([2]);
    const want = gymStep(s, 2);
    expect(want[0]!).toBeLessThan(0); // theta1 wrapped from above pi
    expect(want[1]!).toBeGreaterThan(0); // theta2 wrapped from below -pi
    expect(want[2]!).toBe(4 * Math.PI);
    expect(want[3]!).toBe(-9 * Math.PI);
    expect(Math.abs(env.theta1[0]! - want[0]!)).toBeLessThan(1e-5);
    expect(Math.abs(env.theta2[0]! - want[1]!)).toBeLessThan(1e-5);
    expect(env.dtheta1[0]).toBe(Math.fround(4 * Math.PI));
    expect(env.dtheta2[0]).toBe(Math.fround(-9 * Math.PI));
  });

  it('terminates above the line with reward 0, truncates at 500, autoresets next step', () => {
    const env = new AcrobotCpu(2);
    env.reset(1);
    // Env 0 upside down (-cos(pi) - cos(pi) = 2 > 1); env 1 hanging.
    env.setState([Math.PI - 0.01, 0, 0, 0, 0, 0, 0, 0]);
    env.step([1, 1]);
    expect(Array.from(env.terminated)).toEqual([1, 0]);
    expect(Array.from(env.reward)).toEqual([0, -1]);
    env.step([1, 1]);
    expect(env.reward[0]).toBe(0);
    expect(env.terminated[0]).toBe(0);
    expect(env.steps[0]).toBe(0);
    expect(env.episodes[0]).toBe(2);
    expect(Math.abs(env.theta1[0]!)).toBeLessThanOrEqual(0.1);
    const t = new AcrobotCpu(1);
    t.reset(2);
    for (let s = 0; s < 500; s++) t.step([1]);
    expect(t.truncated[0]).toBe(1);
    expect(t.terminated[0]).toBe(0);
    expect(t.reward[0]).toBe(-1);
    t.step([1]);
    expect(t.steps[0]).toBe(0);
  });

  it('rejects bad sizes and actions naming the argument', () => {
    const env = new AcrobotCpu(2);
    env.reset(0);
    expect(() => env.step([0])).toThrow(/numEnvs/);
    expect(() => env.step([0, 3])).toThrow(/actions\[1\]/);
    expect(() => env.setState([0, 0, 0, 0])).toThrow(/numEnvs/);
    expect(() => new AcrobotCpu(1.5)).toThrow(/numEnvs/);
  });
});
