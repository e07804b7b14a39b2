import { describe, expect, it } from 'vitest';
import { CartPoleCpu } from '../../src/envs/cartpole.ts';

describe('CartPoleCpu', () => {
  it('resets inside +-0.05 and is reproducible from the seed', () => {
    const a = new CartPoleCpu(64).reset(7);
    const b = new CartPoleCpu(64).reset(7);
    const c = new CartPoleCpu(64).reset(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
  });

  it('follows the Gymnasium Euler step for a hand-computed state', () => {
    const env = new CartPoleCpu(1);
    env.reset(0);
    env.setState([0.01, -0.02, 0.03, 0.04]);
    env.step([1]);
    // Reference values from gymnasium CartPoleEnv.step with the same state and action 1 (float64).
    const th = 0.03,
      thd = 0.04,
      total = 1.1,
      pml = 0.05;
    const temp = (10 + pml * thd * thd * Math.sin(th)) / total;
    const thAcc = (9.8 * Math.sin(th) - Math.cos(th) * temp) / (0.5 * (4 / 3 - (0.1 * Math.cos(th) ** 2) / total));
    const xAcc = temp - (pml * thAcc * Math.cos(th)) / total;
    const want = [0.01 + 0.02 * -0.02, -0.02 + 0.02 * xAcc, th + 0.02 * thd, thd + 0.02 * thAcc];
    const got = env.observations();
    for (let k = 0; k < 4; k++) expect(got[k]).toBeCloseTo(want[k]!, 5);
    expect(env.reward[0]).toBe(1);
  });

  it('terminates past 12 degrees, truncates at 500, and autoresets on the next step', () => {
    const env = new CartPoleCpu(2);
    env.reset(1);
    env.setState([0, 0, 0.25, 0, 0, 0, 0, 0]);
    env.step([0, 0]);
    expect(env.terminated[0]).toBe(1);
    expect(env.reward[0]).toBe(1);
    env.step([0, 0]);
    expect(env.terminated[0]).toBe(0);
    expect(env.reward[0]).toBe(0);
    expect(env.steps[0]).toBe(0);
    expect(Math.abs(env.theta[0]!)).toBeLessThanOrEqual(0.05);
    // Truncation: hold the pole upright by resetting the state each step.
    const t = new CartPoleCpu(1);
    t.reset(2);
    for (let s = 0; s < 500; s++) {
      t.setState([0, 0, 0, 0]);
      t.step([s % 2]);
    }
    expect(t.truncated[0]).toBe(1);
    expect(t.terminated[0]).toBe(0);
  });

  it('rejects actions of the wrong length, naming the size', () => {
    const env = new CartPoleCpu(3);
    env.reset(0);
    expect(() => env.step([0, 1])).toThrow(/numEnvs/);
    expect(() => new CartPoleCpu(0)).toThrow(/numEnvs/);
  });
});
