/**
 * One worker thread of the CPU executor (src/run/cpu-workers.ts): rebuilds the step program from
 * the experiment, maps its buffers onto the main thread's shared memory (its private ones, the
 * clock, stay its own), compiles every step op's twin for its replica range and runs chunks of
 * steps on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildModel } from '../experiment/build.ts';
import type { Experiment } from '../experiment/schema.ts';
import { SPLIT_TWINS } from '../kernels/replica-split.ts';
import type { CpuOp, HostArray, ReplicaRange } from './kernel-def.ts';
import { bindingsAt, hostBuffers } from './program.ts';
import { adoptArena, arenaView } from './host-arena.ts';
import { pickArrays, type SharedHost, sharedView } from './shared-buffers.ts';

export interface WorkerInit {
  experiment: Experiment;
  range: ReplicaRange;
  /** The main thread's shared memory (its private buffers are not read from it). */
  shared: SharedHost;
  privateNames: string[];
}

export interface WorkerRun {
  n: number;
  stepCount: number;
  /** The main thread's private buffers (the clock) before the chunk. */
  priv: Record<string, HostArray>;
}

/** The worker's body: called by src/run/cpu-worker-boot.mjs in a worker thread started by CpuWorkers. */
export function startCpuWorker(init: WorkerInit = workerData as WorkerInit): void {
  const program = buildModel(init.experiment).program;
  const own = hostBuffers(program);
  const arrays: Record<string, HostArray> = {};
  const shared = init.shared;
  if ('arena' in shared) adoptArena(shared.arena.memory);
  for (const d of program.buffers) {
    if (init.privateNames.includes(d.name)) arrays[d.name] = own[d.name]!;
    else if ('arena' in shared) {
      const at = shared.arena.offsets[d.name];
      if (at === undefined) throw new Error(`cpu worker: the rebuilt program's buffer '${d.name}' is not in the main thread's arena`);
      arrays[d.name] = arenaView(d, shared.arena.memory, at);
    } else {
      const sab = shared.buffers[d.name];
      if (!sab || sab.byteLength !== own[d.name]!.byteLength) throw new Error(`cpu worker: the rebuilt program's buffer '${d.name}' does not match the main thread's`);
      arrays[d.name] = sharedView(d, sab);
    }
  }
  const compile = (parity: number): CpuOp[] =>
    program.step.map((op) => {
      const t = SPLIT_TWINS.get(op.kernel);
      if (!t) throw new Error(`cpu worker: ${op.kernel.wgsl} does not run a replica range`);
      return t.compile(op.layout as never, pickArrays(arrays, bindingsAt(op, parity)), init.range);
    });
  const steps = [compile(0), compile(1)];

  parentPort!.on('message', (m: WorkerRun) => {
    for (const [name, a] of Object.entries(m.priv)) arrays[name]!.set(a);
    let count = m.stepCount;
    for (let s = 0; s < m.n; s++) {
      for (const op of steps[count & 1]!) op();
      count++;
    }
    const priv: Record<string, HostArray> = {};
    for (const name of init.privateNames) priv[name] = arrays[name]!;
    parentPort!.postMessage(priv);
  });
  parentPort!.postMessage('ready');
}
