/**
 * The CPU twins that run a replica range (`KernelDef.cpu`'s `range`): the CPU executor's workers
 * split a step program's replicas between threads when every op of the program is listed here (and
 * its `split` accepts the op's layout), else the program runs on one thread. A listed twin compiled
 * for replicas [r0, r1) computes exactly what the whole dispatch computes for them (indices and
 * RNG agents stay global), so a split run is bit-identical to one thread (test/run/cpu-workers.test.ts).
 *
 * `private` names bindings that hold replica-independent state every worker keeps its own copy of
 * (the clock: each worker advances it once per step; the executor hands the main thread's value to
 * every worker before a chunk and takes worker 0's back after it).
 */
import { ACROBOT_STEP } from '../envs/acrobot-gpu.ts';
import { CARTPOLE_STEP } from '../envs/cartpole-gpu.ts';
import { MOUNTAIN_CAR_STEP } from '../envs/mountain-car-gpu.ts';
import { MULTIPLEXER_STEP } from '../envs/multiplexer-gpu.ts';
import type { AnyKernelDef, CpuOp, HostArray, ReplicaRange } from '../run/kernel-def.ts';
import { acAdamCpu, acEpisodeCpu, acGatherCpu, acHiddenCpu, acSoftmaxCpu, acTdCpu, acTraceCpu } from './chung-ac-cpu.ts';
import { CHUNG_AC_ADAM, CHUNG_AC_EPISODE, CHUNG_AC_GATHER, CHUNG_AC_HIDDEN, CHUNG_AC_SOFTMAX, CHUNG_AC_TD, CHUNG_AC_TRACE } from './chung-ac.ts';
import { criticBackwardTwin, criticForwardTwin } from './chung-critic-cpu.ts';
import { CHUNG_CRITIC_BACKWARD, CHUNG_CRITIC_FORWARD } from './chung-critic.ts';
import { CLOCK_TICK } from './clock.ts';
import { OTT_KERNEL_DEFS } from './ott.ts';

type Arrays = Readonly<Record<string, HostArray>>;

export interface SplitTwin {
  /** Whether the twin runs a replica range for this layout (absent: always). */
  split?(layout: never): boolean;
  /** The twin for replicas [r0, r1). */
  compile(layout: never, b: Arrays, range: ReplicaRange): CpuOp;
  /** Bindings held per worker (replica-independent state). */
  private?: readonly string[];
}

/** Through the def's own `cpu`, which honours a range (the env twins). */
const viaDef = (def: AnyKernelDef): SplitTwin => ({ compile: (l, b, range) => def.cpu(l, b, range) });

export const SPLIT_TWINS: ReadonlyMap<AnyKernelDef, SplitTwin> = new Map<AnyKernelDef, SplitTwin>([
  [CHUNG_AC_HIDDEN, { compile: (l, b, r) => acHiddenCpu(l, b as never, r) }],
  [CHUNG_AC_SOFTMAX, { compile: (l, b, r) => acSoftmaxCpu(l, b as never, r) }],
  // The shifted traces' delay lines are not split.
  [CHUNG_AC_TRACE, { split: (l: { delay: number }) => l.delay === 0, compile: (l, b, r) => acTraceCpu(l, b as never, r) }],
  [CHUNG_AC_GATHER, { compile: (l, b, r) => acGatherCpu(l, b as never, r) }],
  [CHUNG_AC_ADAM, { compile: (l, b, r) => acAdamCpu(l, b as never, r) }],
  [CHUNG_AC_TD, { compile: (l, b, r) => acTdCpu(l, b as never, r) }],
  [CHUNG_AC_EPISODE, { compile: (l, b, r) => acEpisodeCpu(l, b as never, r) }],
  [CHUNG_CRITIC_FORWARD, { compile: (l, b, r) => criticForwardTwin(l, b, r) }],
  [CHUNG_CRITIC_BACKWARD, { compile: (l, b, r) => criticBackwardTwin(l, b, r) }],
  [CARTPOLE_STEP, viaDef(CARTPOLE_STEP)],
  [ACROBOT_STEP, viaDef(ACROBOT_STEP)],
  [MOUNTAIN_CAR_STEP, viaDef(MOUNTAIN_CAR_STEP)],
  [MULTIPLEXER_STEP, viaDef(MULTIPLEXER_STEP)],
  [CLOCK_TICK, { compile: (l, b) => CLOCK_TICK.cpu(l, b), private: ['clock'] }],
  // Ott's op list (src/rules/ott.ts): every twin loops over the range's replicas.
  ...Object.values(OTT_KERNEL_DEFS).map((d): [AnyKernelDef, SplitTwin] => [d, viaDef(d)]),
]);

/** Whether an op's twin runs a replica range. */
export function splits(def: AnyKernelDef, layout: unknown): boolean {
  const t = SPLIT_TWINS.get(def);
  return !!t && (!t.split || t.split(layout as never));
}
