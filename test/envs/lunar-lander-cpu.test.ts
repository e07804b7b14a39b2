import { describe, expect, it } from 'vitest';
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import { LunarLanderCpu, lunarLanderShaping } from '../../src/envs/lunar-lander.ts';
import { lunarLanderHeuristic } from '../../src/envs/lunar-lander-heuristic.ts';
import { LUNAR_LANDER_V2 } from '../../src/envs/lunar-lander-params.ts';

/** A fixed pseudo-random action sequence, so runs can be compared step by step. */
const randomActions = (n: number, t: number) => Array.from({ length: n }, (_, i) => rngU32(1, Stream.test, i, t) & 3);

describe('LunarLanderCpu', () => {
  it('starts at the top centre, legs in the air, pushed by a random force', () => {
    const env = new LunarLanderCpu(8);
    const obs = env.reset(0);
    const vx = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const row = obs.subarray(i * 8, i * 8 + 8);
      expect(Math.abs(row[0]!)).toBeLessThan(0.05);
      // y = (H - (H/4 + 18/30)) / (H/2) at the start, less one step of fall.
      expect(row[1]!).toBeCloseTo((400 / 30 - (100 / 30 + 18 / 30)) / (200 / 30), 1);
      expect(row[6]).toBe(0);
      expect(row[7]).toBe(0);
      vx.add(row[2]!);
    }
    expect(vx.size).toBe(8); // every env got its own push
  });

  it("builds Gymnasium's terrain, hull, legs and joints", () => {
    const env = new LunarLanderCpu(2);
    env.reset(9);
    const W = 20,
      H = 40 / 3,
      i = 1;
    // Heights from the counter RNG; pad chunks 3..7 at H/4; smooth with height[-1] = height[11].
    const h = Array.from({ length: 12 }, (_, k) => (H / 2) * ((rngU32(9, Stream.envReset, i * 14 + k, 0) >>> 8) / 2 ** 24));
    for (let k = 3; k <= 7; k++) h[k] = H / 4;
    const smooth = Array.from({ length: 11 }, (_, k) => 0.33 * (h[(k + 11) % 12]! + h[k]! + h[k + 1]!));
    const edges: number[][] = [];
    for (let b = env.worlds[i]!.getBodyList(); b; b = b.getNext()) {
      if (!b.isStatic()) continue;
      for (let fx = b.getFixtureList(); fx; fx = fx.getNext()) {
        const sh = fx.getShape() as unknown as { m_vertex1: { x: number; y: number }; m_vertex2: { x: number; y: number } };
        edges.push([sh.m_vertex1.x, sh.m_vertex1.y, sh.m_vertex2.x, sh.m_vertex2.y, fx.getFriction()]);
      }
    }
    edges.sort((a, b) => a[0]! - b[0]! || a[2]! - b[2]!);
    expect(edges.length).toBe(11); // the y = 0 floor plus 10 chunks
    const chunks = edges.filter((e) => e[2]! !== W || e[0]! !== 0);
    for (let k = 0; k < 10; k++) {
      const e = chunks[k]!;
      expect(e[0]).toBeCloseTo((W / 10) * k, 12);
      expect(e[1]).toBeCloseTo(smooth[k]!, 12);
      expect(e[3]).toBeCloseTo(smooth[k + 1]!, 12);
      expect(e[4]).toBeCloseTo(0.1, 12);
    }
    // Hull: 867 px^2 at density 5; legs: 4 x 16 px at density 1 (Box2D box= takes half extents).
    expect(env.landers[i]!.getMass()).toBeCloseTo((5 * 867) / 900, 10);
    for (const leg of env.legs[i]!) expect(leg.getMass()).toBeCloseTo(64 / 900, 10);
    const limits: number[][] = [];
    for (let j = env.worlds[i]!.getJointList(); j; j = j.getNext()) {
      const r = j as unknown as { getReferenceAngle(): number; getLowerLimit(): number; getUpperLimit(): number; getMaxMotorTorque(): number; getMotorSpeed(): number };
      expect(r.getReferenceAngle()).toBe(0);
      expect(r.getMaxMotorTorque()).toBe(40);
      limits.push([r.getLowerLimit(), r.getUpperLimit(), r.getMotorSpeed()]);
    }
    limits.sort((a, b) => a[0]! - b[0]!);
    expect(limits[0]![0]).toBeCloseTo(-0.9, 12);
    expect(limits[0]![1]).toBeCloseTo(-0.4, 12);
    expect(limits[0]![2]).toBeCloseTo(0.3, 12);
    expect(limits[1]![0]).toBeCloseTo(0.4, 12);
    expect(limits[1]![1]).toBeCloseTo(0.9, 12);
    expect(limits[1]![2]).toBeCloseTo(-0.3, 12);
  });

  it('gives identical trajectories for a fixed seed and different ones for another seed', () => {
    const run = (seed: number) => {
      const env = new LunarLanderCpu(3);
      env.reset(seed);
      const out: number[] = [];
      for (let t = 0; t < 120; t++) {
        env.step(randomActions(3, t));
        out.push(...env.observations(), ...env.reward, ...env.terminated);
      }
      return out;
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
  });

  it('crashes with -100 under a no-op policy within a few hundred steps', () => {
    const env = new LunarLanderCpu(6);
    env.reset(7);
    const crashed = new Array<boolean>(6).fill(false);
    for (let t = 0; t < 300 && crashed.includes(false); t++) {
      env.step([0, 0, 0, 0, 0, 0]);
      for (let i = 0; i < 6; i++) {
        if (env.terminated[i] && !crashed[i]) {
          expect(env.reward[i]).toBe(-100);
          expect(env.gameOver[i]).toBe(1);
          crashed[i] = true;
        }
      }
    }
    expect(crashed).toEqual(new Array(6).fill(true));
  });

  it('computes the shaping potential and the shaped step reward as Gymnasium does', () => {
    // -100*|(0.3, 0.4)| - 100*|(0.6, -0.8)| - 100*|-0.2| + 10*1 + 10*0 = -50 - 100 - 20 + 10.
    expect(lunarLanderShaping([0.3, 0.4, 0.6, -0.8, -0.2, 5, 1, 0])).toBeCloseTo(-160, 10);
    expect(lunarLanderShaping([9, 0, 0.3, 0.4, 0.6, -0.8, -0.2, 5, 0, 1], 2)).toBeCloseTo(-160, 10);
    const env = new LunarLanderCpu(4);
    let prev: Float32Array = env.reset(5).slice();
    let checked = 0;
    for (let t = 0; t < 60; t++) {
      const acts = randomActions(4, t);
      env.step(acts);
      const obs = env.observations();
      for (let i = 0; i < 4; i++) {
        if (env.terminated[i] || env.truncated[i] || env.steps[i] === 0) continue;
        const fuel = acts[i] === 2 ? 0.3 : acts[i] === 1 || acts[i] === 3 ? 0.03 : 0;
        const want = lunarLanderShaping(obs, i * 8) - lunarLanderShaping(prev, i * 8) - fuel;
        // Observations are f32; rewards come from the float64 state.
        expect(Math.abs(env.reward[i]! - want)).toBeLessThan(2e-3);
        checked++;
      }
      prev = obs;
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('lands under Gymnasium heuristic with +100 and a mean return above 200', () => {
    const n = 10;
    const env = new LunarLanderCpu(n);
    let obs = env.reset(11);
    const ret = new Float64Array(n);
    const finished: number[] = [];
    let landings = 0;
    const acts = new Int32Array(n);
    for (let t = 0; t < 1000 && finished.length < n; t++) {
      for (let i = 0; i < n; i++) acts[i] = lunarLanderHeuristic(obs, i * 8);
      env.step(acts);
      obs = env.observations(obs);
      for (let i = 0; i < n; i++) {
        if (env.autoresetPending[i] && env.episodes[i] === 1) {
          ret[i] = ret[i]! + env.reward[i]!;
          finished.push(ret[i]!);
          if (env.terminated[i] && env.reward[i] === 100) landings++;
        } else if (env.episodes[i] === 1) {
          ret[i] = ret[i]! + env.reward[i]!;
        }
      }
    }
    expect(finished.length).toBe(n);
    expect(landings).toBeGreaterThanOrEqual(n / 2);
    expect(finished.reduce((a, b) => a + b) / n).toBeGreaterThan(200);
  });

  it('truncates at maxEpisodeSteps and autoresets on the next step', () => {
    const env = new LunarLanderCpu(1, { ...LUNAR_LANDER_V2, maxEpisodeSteps: 5 });
    const first = env.reset(2).slice();
    for (let t = 0; t < 5; t++) env.step([2]);
    expect(env.truncated[0]).toBe(1);
    expect(env.terminated[0]).toBe(0);
    env.step([2]);
    expect(env.reward[0]).toBe(0);
    expect(env.truncated[0]).toBe(0);
    expect(env.steps[0]).toBe(0);
    expect(env.episodes[0]).toBe(2);
    const second = env.observations();
    expect(second[1]!).toBeCloseTo(first[1]!, 1); // back at the top
    expect(second).not.toEqual(first); // a new episode's draws
  });

  it('rejects bad sizes and actions before moving any env', () => {
    expect(() => new LunarLanderCpu(0)).toThrow(/numEnvs/);
    expect(() => new LunarLanderCpu(1, { ...LUNAR_LANDER_V2, maxEpisodeSteps: 5000 })).toThrow(/maxEpisodeSteps/);
    const env = new LunarLanderCpu(2);
    const before = env.reset(0).slice();
    expect(() => env.step([0])).toThrow(/numEnvs/);
    expect(() => env.step([0, 4])).toThrow(/actions\[1\]/);
    expect(env.observations()).toEqual(before);
    expect(env.steps[0]).toBe(0);
  });
});
