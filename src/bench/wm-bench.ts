import { ENVS } from '../envs/registry.ts';
import { multiplexerEnvName } from '../envs/multiplexer-gpu.ts';
import { buildHostNet } from '../learners/chung-multiplexer/network.ts';
import { millionConfig } from '../learners/chung-multiplexer/presets.ts';
import { weightMaxSparseProgram } from '../rules/weight-max-sparse.ts';
import { CpuExecutor } from '../run/executor-cpu.ts';
import { GpuExecutor } from '../run/executor-gpu.ts';
import type { BenchSuite } from './harness.ts';

/** Units of the dense first hidden layer (the million preset's). */
const FIRST = 256;
/** Synapses per big-layer unit (the million preset's). */
const FAN_IN = 64;
/** 20-bit multiplexer (4 address bits), as the sparse variant of `reproduce chung-scaling`. */
const ADDRESS_BITS = 4;

/**
 * One whole Weight Max step of the million-agent multiplexer network (millionConfig, one replica)
 * with `size` hidden units: 20 inputs -> 256 Bernoulli units dense (Adam) -> size - 256 Bernoulli
 * units with 64 random synapses each -> softmax over 2 actions dense over the big layer, with the
 * preset's optimisers and learning rates (recorded in the config). The step is the weight-max-sparse
 * rule's step program (src/rules/weight-max-sparse.ts: hidden forward, two-pass softmax output, the
 * env step, per layer from the output down the Weight Max reward gather (scatter mode for the
 * 256-unit layer) + parameter update, the episode log, clock tick) recorded by the GPU executor
 * (`encode`); the CPU twin is the CPU executor's `run(1)` on the same program, in full (no prefix: a
 * Weight Max step does not split by replica). Items are hidden-unit updates (every hidden unit gets its
 * reward and updates its parameters once per step): `size` per step.
 */
export const weightMaxBench: BenchSuite = {
  name: 'weight-max',
  unit: 'unit-updates',
  sizes: [1 << 16, 1 << 20],
  setup(ctx, size) {
    if (size <= 2 * FIRST) throw new RangeError(`weight-max bench: size must exceed ${2 * FIRST} hidden units, got ${size}`);
    const big = size - FIRST;
    const c = millionConfig({ units: big, fanIn: FAN_IN, firstLayer: FIRST, addressBits: ADDRESS_BITS, episodes: 1, rule: 'weightmax', seed: 1 });
    const env = ENVS[multiplexerEnvName(ADDRESS_BITS) as keyof typeof ENVS];
    const obsDim = env.obsDim;
    const net = buildHostNet(c, obsDim);
    // The kernels' forms by the adapter, as a run picks them ('auto').
    const program = weightMaxSparseProgram(c, env, 'auto', net);
    const gpu = new GpuExecutor(ctx, program);
    gpu.reset();
    const cpu = new CpuExecutor(program);
    cpu.reset();
    const F1 = obsDim + 1;
    // Adam keeps m and v per parameter: 16 more bytes read + written than SGD's weight alone.
    const opt = (l: number) => (c.optimizer[l] === 'adam' ? 24 : 8);
    return {
      config: {
        replicas: 1,
        inputs: obsDim,
        hidden: `${FIRST}-${big}`,
        fanIn: FAN_IN,
        hiddenUnits: size,
        synapses: FIRST * obsDim + big * FAN_IN + big,
        gather: c.gatherMode,
        optimizer: c.optimizer.join('/'),
      },
      itemsPerStep: size,
      // Per big-layer unit: its 64 weights + bias read and written (forward reads, the update
      // writes; the Weight Max gather of the first layer re-reads them, counted once; Adam's m, v
      // too if the layer uses Adam), its 64 presynaptic indices, its output weight (and Adam m, v)
      // read and written, and mean / value / charac / reward (4 words). Per first-layer unit:
      // obsDim + 1 parameters (and Adam state) read + written and the same 4 words. Inputs,
      // actions and counters are a few words.
      bytesPerStep: big * (opt(1) * (FAN_IN + 1) + 4 * FAN_IN + opt(2) + 16) + FIRST * (opt(0) * F1 + 16),
      cpuItems: size,
      encode(pass) {
        gpu.encode(pass, 1);
      },
      cpuStep: () => cpu.run(1),
      destroy: () => gpu.destroy(),
    };
  },
};
