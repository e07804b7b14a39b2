import { describe, expect, it } from 'vitest';
import { CARTPOLE_STEP } from '../../src/envs/cartpole-gpu.ts';
import { ENVS, envOps } from '../../src/envs/registry.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { nodeGpuForFile } from '../gpu/file-gpu.ts';
import { CLOCK_TICK } from '../../src/kernels/clock.ts';
import { rngU32, Stream } from '../../src/rng/counter-rng.ts';
import { CpuExecutor } from '../../src/run/executor-cpu.ts';
import { GpuExecutor } from '../../src/run/executor-gpu.ts';
import type { Executor } from '../../src/run/executor.ts';
import type { AnyKernelDef } from '../../src/run/kernel-def.ts';
import type { StepProgram } from '../../src/run/program.ts';

const dawn = nodeGpuForFile();

/** Run a program `steps` steps in chunks and collect every metrics readback. */
async function run(exec: Executor, steps: number, chunk: number): Promise<Uint32Array[]> {
  const out: Uint32Array[] = [];
  exec.reset();
  for (let s = 0; s < steps; s += chunk) await exec.chunk(chunk, (w) => out.push(w.slice()));
  await exec.drain();
  return out;
}

describe('the bridge: host-only ops inside a WebGPU step program', () => {
  it('CartPole forced onto the host gives the same run, buffer for buffer, as CartPole on the device', async () => {
    const program = buildModel(parseExperiment({ env: { name: 'cartpole' }, rule: { name: 'reinforce' }, run: { seed: 21, replicas: 5 } })).program;
    const hostCartpole: AnyKernelDef = { ...CARTPOLE_STEP, gpu: undefined, host: { writes: ['state', 'counters', 'reward', 'obsOut'] } };
    const bridged: StepProgram = {
      ...program,
      step: program.step.map((op) => (op.kernel === CARTPOLE_STEP ? { ...op, kernel: hostCartpole } : op)),
      reset: program.reset.map((op) => (op.kernel === CARTPOLE_STEP ? { ...op, kernel: hostCartpole } : op)),
    };
    const fused = new GpuExecutor(dawn.ctx, program),
      bridge = new GpuExecutor(dawn.ctx, bridged);
    try {
      const a = await run(fused, 600, 200),
        b = await run(bridge, 600, 200);
      expect(b).toEqual(a);
      expect(a[2]!.subarray(0, 5).reduce((x, y) => x + y, 0)).toBeGreaterThan(20); // episodes ended and were logged
      for (const d of program.buffers) if (!d.scratch) expect(await bridge.read(d.name), d.name).toEqual(await fused.read(d.name));
    } finally {
      fused.destroy();
      bridge.destroy();
    }
  });

  describe('lunar-lander-step (Box2D on planck) on both executors', () => {
    const E = 6;
    const env = envOps(ENVS['lunar-lander'], E, 17, { act: 'act', actSlot: { stride: 1, offset: 0 }, obs: 'obs', obsSlot: { stride: 8, offset: 0 }, resetObs: 'obs' });
    const program: StepProgram = {
      buffers: [...env.buffers, { name: 'act', type: 'f32', length: E }, { name: 'obs', type: 'f32', length: E * 8 }, { name: 'clock', type: 'u32', length: 4 }],
      reset: [env.reset],
      step: [env.step, { kernel: CLOCK_TICK, layout: {}, bind: { clock: 'clock' } }],
      metrics: 'env.counters',
    };
    /** Random actions from the host, one step per chunk. */
    async function drive(exec: Executor, from: number, to: number, trace: number[][]): Promise<void> {
      for (let s = from; s < to; s++) {
        exec.write(
          'act',
          Float32Array.from({ length: E }, (_, e) => rngU32(3, Stream.test, e, s) % 4),
        );
        await exec.chunk(1, () => {});
        await exec.drain();
        trace.push([...(await exec.read('env.counters')), ...(await exec.read('env.reward')), ...(await exec.read('obs'))]);
      }
    }

    it('steps identically through the bridge on WebGPU and on the CPU, episodes ending and autoresetting', async () => {
      const cpu = new CpuExecutor(program),
        gpu = new GpuExecutor(dawn.ctx, program);
      try {
        const c: number[][] = [],
          g: number[][] = [];
        cpu.reset();
        gpu.reset();
        await drive(cpu, 0, 300, c);
        await drive(gpu, 0, 300, g);
        expect(g).toEqual(c);
        const episodes = Array.from((await cpu.read('env.counters')).subarray(E, 2 * E));
        expect(episodes.reduce((a, b) => a + b, 0)).toBeGreaterThan(E + 3); // some episodes ended
      } finally {
        gpu.destroy();
      }
    });

    it.each(['cpu', 'webgpu'])('a checkpoint mid-episode restores the worlds by replay: the continuation equals a straight run (%s)', async (backend) => {
      const make = () => (backend === 'cpu' ? new CpuExecutor(program) : new GpuExecutor(dawn.ctx, program));
      const straight = make(),
        first = make(),
        second = make();
      try {
        const a: number[][] = [],
          b: number[][] = [];
        straight.reset();
        await drive(straight, 0, 260, a);
        first.reset();
        await drive(first, 0, 130, b);
        // Checkpoint: state buffers + the host ops' state, into a fresh executor.
        const saved = JSON.parse(JSON.stringify(first.saveOps()));
        for (const d of program.buffers) second.write(d.name, await first.read(d.name));
        second.stepCount = first.stepCount;
        second.loadOps(saved);
        await drive(second, 130, 260, b);
        expect(b).toEqual(a);
      } finally {
        for (const x of [straight, first, second]) x.destroy();
      }
    });
  });
});
