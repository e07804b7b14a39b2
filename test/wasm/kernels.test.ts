import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperimentText } from '../../src/experiment/load.ts';
import { criticAdamCpu, criticAdamLoop, criticAdamScalars } from '../../src/kernels/chung-critic-cpu.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { newArena } from '../../src/run/host-arena.ts';
import { wasmTwins } from '../../src/wasm/kernels.ts';
import { stateBytes } from '../run/executor-state.ts';

const load = (task: string, sets: string[]) => {
  const file = `experiments/chung-${task}.json`;
  return parseExperimentText(readFileSync(file, 'utf8'), file, ['run.backend=cpu', ...sets]);
};

describe('the WebAssembly loops of the Weight Max twins give the TypeScript loops bit for bit', () => {
  it.each([
    ['cartpole', ['run.replicas=3']],
    ['cartpole', ['run.replicas=2', 'rule.traces=true']],
    ['cartpole', ['run.replicas=2', 'rule.hiddenRule=ste', 'rule.traces=true']],
    ['cartpole', ['run.replicas=2', 'rule.hiddenRule=reinforce']],
    // Odd sizes: a 5-unit layer (fan-in 5 above it) and a 3-unit one, where lanes do not fit and the TypeScript loops run.
    ['cartpole', ['run.replicas=2', 'population.hidden=[6,5]', 'rule.criticHidden=[6,3]', 'rule.temp=[1,1,1]']],
    ['acrobot', ['run.replicas=2', 'rule.traces=true']],
    ['multiplexer', ['run.replicas=2']],
  ] as const)('%s %j: every state buffer and the episode log equal after 600 steps', async (task, sets) => {
    const x = load(task, [...sets]);
    const ts = new CpuExecutor(buildModel(x).program, { arena: false });
    const wasm = new CpuExecutor(buildModel(x).program);
    try {
      // The arena executor runs the WebAssembly loops; the other cannot.
      expect(wasmTwins(wasm.view('actor.0.theta') as Float32Array)).not.toBeNull();
      expect(wasmTwins(ts.view('actor.0.theta') as Float32Array)).toBeNull();
      const logs: number[][][] = [[], []];
      for (const [k, e] of [ts, wasm].entries()) {
        e.reset();
        for (let c = 0; c < 6; c++) await e.chunk(100, (w) => logs[k]!.push([...w]));
      }
      expect(logs[1]).toEqual(logs[0]);
      expect(stateBytes(wasm)).toEqual(stateBytes(ts));
      expect(
        logs[0]!
          .at(-1)!
          .slice(1, 3)
          .some((n) => n > 0),
      ).toBe(true);
    } finally {
      ts.destroy();
      wasm.destroy();
    }
  });

  it('criticAdam: random values, signed zeros and tiny moments, per replica', () => {
    const n = 64,
      R = 3;
    const arena = newArena({ buffers: ['p', 'e', 'm', 'v', 'd'].map((name) => ({ name, type: 'f32', length: n * R })), reset: [], step: [], metrics: 'd' }, false)!;
    const view = (k: number) => new Float32Array(arena.memory.buffer, arena.offsets['pemvd'[k]!]!, n * R);
    const [p, e, m, v, d] = [0, 1, 2, 3, 4].map(view) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    for (let i = 0; i < n * R; i++) {
      p[i] = rnd();
      e[i] = i % 7 === 0 ? -0 : rnd() * 10;
      m[i] = rnd() * 1e-3;
      v[i] = i % 5 === 0 ? 0 : Math.abs(rnd()) * 1e-9;
    }
    d.set([0.37, -2.5, 0]);
    const copies = [p, e, m, v].map((a) => a.slice());
    const sc = criticAdamScalars(0.01, 3, { beta1: 0.9, beta2: 0.999, eps: 1e-8, biasCorrectionSteps: 1000 });
    const loop = criticAdamLoop(p, e, m, v, d, n);
    expect(wasmTwins(p)).not.toBeNull();
    for (let t = 0; t < 3; t++) {
      loop(sc);
      criticAdamCpu(copies[0]!, copies[1]!, copies[2]!, copies[3]!, d, n, sc);
    }
    expect(Buffer.from(p.buffer, p.byteOffset, p.byteLength)).toEqual(Buffer.from(copies[0]!.buffer));
    expect(Buffer.from(m.buffer, m.byteOffset, m.byteLength)).toEqual(Buffer.from(copies[2]!.buffer));
    expect(Buffer.from(v.buffer, v.byteOffset, v.byteLength)).toEqual(Buffer.from(copies[3]!.buffer));
  });
});
