import { describe, expect, it } from 'vitest';
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import { MultiplexerCpu } from '../../src/envs/multiplexer.ts';

describe('MultiplexerCpu', () => {
  it('has k + 2^k inputs and draws them from (seed, envReset, env * n + bit, episode)', () => {
    expect(new MultiplexerCpu(1).obsDim).toBe(20);
    expect(new MultiplexerCpu(1, 3).obsDim).toBe(11);
    expect(new MultiplexerCpu(1, 2).obsDim).toBe(6);
    const env = new MultiplexerCpu(3);
    const obs = env.reset(11);
    for (let i = 0; i < 3; i++) {
      for (let b = 0; b < 20; b++) {
        const want = rngU32(11, Stream.envReset, i * 20 + b, 0) >>> 31 ? 1 : -1;
        expect(obs[i * 20 + b]).toBe(want);
      }
    }
    expect(new MultiplexerCpu(3).reset(11)).toEqual(obs);
    expect(new MultiplexerCpu(3).reset(12)).not.toEqual(obs);
  });

  it('selects the data bit addressed most-significant-bit first', () => {
    const env = new MultiplexerCpu(2, 2);
    env.reset(0);
    // Env 0: address (+1, -1) = binary 10 = 2 -> data bit 2 (obs[4]) = +1.
    // Env 1: address (-1, +1) = binary 01 = 1 -> data bit 1 (obs[3]) = -1.
    env.setState([1, -1, -1, -1, 1, -1, -1, 1, 1, -1, 1, 1]);
    expect(Array.from(env.target)).toEqual([1, -1]);
    env.step([1, 1]);
    expect(Array.from(env.reward)).toEqual([1, -1]);
    expect(Array.from(env.terminated)).toEqual([1, 1]);
    expect(Array.from(env.truncated)).toEqual([0, 0]);
  });

  it('matches the reference target on random 20-bit inputs', () => {
    const env = new MultiplexerCpu(256);
    const obs = env.reset(5);
    let plus = 0;
    for (let i = 0; i < 256; i++) {
      const row = obs.subarray(i * 20, i * 20 + 20);
      const addr = (row[0]! > 0 ? 8 : 0) + (row[1]! > 0 ? 4 : 0) + (row[2]! > 0 ? 2 : 0) + (row[3]! > 0 ? 1 : 0);
      expect(env.target[i]).toBe(row[4 + addr]);
      for (const v of row) if (v > 0) plus++;
    }
    // Roughly half the bits are +1 (5120 draws, 5 sigma is about 180).
    expect(Math.abs(plus - 2560)).toBeLessThan(180);
  });

  it('autoresets on the next step with reward 0 and a fresh episode-1 input', () => {
    const env = new MultiplexerCpu(1, 3);
    const first = env.reset(3).slice();
    const right = env.target[0]! > 0 ? 1 : 0;
    env.step([right]);
    expect(env.reward[0]).toBe(1);
    expect(env.observations()).toEqual(first); // terminal obs is still the scored input
    env.step([right]);
    expect(env.reward[0]).toBe(0);
    expect(env.terminated[0]).toBe(0);
    expect(env.episodes[0]).toBe(2);
    const second = env.observations();
    for (let b = 0; b < 11; b++) expect(second[b]).toBe(rngU32(3, Stream.envReset, b, 1) >>> 31 ? 1 : -1);
    env.step([env.target[0]! > 0 ? 0 : 1]);
    expect(env.reward[0]).toBe(-1);
  });

  it('bandit mode scores every call and shows the next input immediately', () => {
    const env = new MultiplexerCpu(4);
    const a = new MultiplexerCpu(4);
    env.reset(9);
    a.reset(9);
    for (let t = 0; t < 5; t++) {
      const correct = Array.from(env.target, (v) => (v > 0 ? 1 : 0));
      env.stepBandit(correct);
      expect(Array.from(env.reward)).toEqual([1, 1, 1, 1]);
      expect(Array.from(env.terminated)).toEqual([1, 1, 1, 1]);
      // Same inputs as the autoreset mode's episodes: step + reset step.
      a.step(correct);
      a.step(correct);
      expect(env.observations()).toEqual(a.observations());
    }
    expect(env.episodes[0]).toBe(6);
  });

  it('rejects bad sizes naming the argument', () => {
    expect(() => new MultiplexerCpu(0)).toThrow(/numEnvs/);
    expect(() => new MultiplexerCpu(1, 0)).toThrow(/addressBits/);
    const env = new MultiplexerCpu(2);
    env.reset(0);
    expect(() => env.step([1])).toThrow(/numEnvs/);
    expect(() => env.stepBandit([1, 0, 1])).toThrow(/numEnvs/);
    expect(() => env.setState([1])).toThrow(/numEnvs/);
  });
});
