/**
 * Evaluation of a trained network on the CPU twins, for the analyses (docs/analysis.md): its
 * learned weights copied into a fresh program of `episodes` replicas (one episode each, so every
 * condition sees the same env starts and the same spike draws), the learning ops left out, some
 * units optionally silenced (spikes forced to 0 right after their layer samples them, before the
 * env and the next layer read them) and the observation optionally clamped to a recording.
 */
import { buildModel } from '../experiment/build.ts';
import type { Experiment } from '../experiment/schema.ts';
import { CpuExecutor } from '../run/executor-cpu.ts';
import type { AnyKernelDef, HostArray } from '../run/kernel-def.ts';
import type { UnitMap } from '../run/model.ts';
import { initOf, type Binding, type Op, type StepProgram } from '../run/program.ts';

/** A trained network: its experiment and the checkpoint's arrays (`hedonist-run` checkpoint). */
export interface TrainedRun {
  experiment: Experiment;
  arrays: Readonly<Record<string, ArrayLike<number>>>;
}

export interface EvalOptions {
  /** Episodes, run side by side as replicas (one each). */
  episodes: number;
  /** Seed of the env starts and the spike draws (the same seed gives the same draws for every condition). */
  seed: number;
  /** Which trained replica's weights (default 0). */
  replica?: number;
  /** Units (indices into the unit map) whose spikes are forced to 0. */
  silence?: readonly number[];
  /** Observations to feed instead of the env's, per episode [steps * obsDim]; each episode then lasts its recording's steps. */
  inputs?: readonly Float32Array[];
  /** Keep every step's spikes, firing probabilities, observation and reward. */
  record?: boolean;
}

/** One episode of an evaluation. */
export interface EpisodeRecord {
  /** Sum of the env's rewards. */
  return: number;
  steps: number;
  /** [steps * units] 0/1, when recorded. */
  spikes?: Uint8Array;
  /** [steps * units] firing probabilities, when recorded. */
  prob?: Float32Array;
  /** [steps * obsDim] the observation the network saw at each step, when recorded. */
  obs?: Float32Array;
  /** [steps] the env's reward after each step, when recorded. */
  reward?: Float32Array;
}

export interface Evaluation {
  env: string;
  units: string[];
  /** The units the env reads as its action (indices into `units`). */
  actions: number[];
  obsDim: number;
  episodes: EpisodeRecord[];
}

/** Thrown when a run cannot be analysed (the CLI turns it into one line, exit 2). */
export class AnalysisInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}

/** The one line for a run whose rule has no unit map. */
const unsupportedRule = (rule: string) =>
  `rule '${rule}' does not describe its units for analysis (covered: reinforce; weight-max with Bernoulli hidden units, not hiddenRule backprop; ott with run.stepForm ops or auto; each with an env)`;

/** Where layer `layer`'s spikes and probabilities live. */
function layerAt(u: UnitMap, layer: number): { rows: readonly [string, string]; stride: number; prob: string; probStride: number } {
  return u.layerRows?.[layer] ?? { rows: u.rows, stride: u.stride, prob: u.prob.buffer, probStride: u.prob.stride };
}

/** The unit map of a run's model (throws when its rule has none). */
export function unitMapOf(x: Experiment): UnitMap {
  const m = buildModel({ ...x, run: { ...x.run, replicas: 1, workers: 1 } });
  if (!m.units || !x.env) throw new AnalysisInputError(unsupportedRule(x.rule.name));
  return m.units;
}

/** The run's network as it was before training: its weights as the experiment initialises them. */
export function untrainedRun(x: Experiment): TrainedRun {
  const m = buildModel({ ...x, run: { ...x.run, workers: 1 } });
  const names = new Set(m.units?.weights ?? []);
  const arrays: Record<string, ArrayLike<number>> = {};
  for (const d of m.program.buffers) if (names.has(d.name)) arrays[d.name] = initOf(d) ?? new Float32Array(d.length);
  return { experiment: x, arrays };
}

/** An op that runs `body` on the CPU executor only (analysis hooks between the program's ops). */
function hostOp(bind: Record<string, Binding>, body: (b: Readonly<Record<string, HostArray>>) => () => void): Op {
  const kernel = { wgsl: '', bindings: Object.keys(bind), uniform: false, parity: '', cpu: (_l: unknown, b: Readonly<Record<string, HostArray>>) => body(b) };
  return { kernel: kernel as unknown as AnyKernelDef, layout: {}, bind };
}

/** Evaluate a trained run: `o.episodes` episodes of its network with frozen weights on the CPU twins. */
export function evaluate(run: TrainedRun, o: EvalOptions): Evaluation {
  const E = o.episodes;
  const x0 = run.experiment;
  const x: Experiment = { ...x0, run: { ...x0.run, replicas: E, seed: o.seed, workers: 1, backend: 'cpu' } };
  const model = buildModel(x);
  const u = model.units;
  if (!u || !x.env) throw new AnalysisInputError(unsupportedRule(x.rule.name));
  const U = u.units.length;
  const D = u.obs.count;
  const obsAt = u.obsRows ?? { rows: u.rows, stride: u.stride };
  const silenceByLayer = new Map<number, number[]>();
  for (const i of o.silence ?? []) {
    const unit = u.units[i];
    if (!unit) throw new AnalysisInputError(`unit index ${i} is out of range (the network has ${U} units)`);
    silenceByLayer.set(unit.layer, [...(silenceByLayer.get(unit.layer) ?? []), unit.col]);
  }
  let globalStep = 0;
  const clamp = o.inputs
    ? [
        hostOp({ act: obsAt.rows }, (b) => () => {
          const row = b.act!;
          for (let r = 0; r < E; r++) {
            const rec = o.inputs![r]!;
            if ((globalStep + 1) * D <= rec.length) for (let d = 0; d < D; d++) row[r * obsAt.stride + u.obs.offset + d] = rec[globalStep * D + d]!;
          }
        }),
      ]
    : [];
  // The observation the network reads this step, kept before the step's env overwrites it.
  const seen = new Float32Array(E * D);
  const snapshot = hostOp({ act: obsAt.rows }, (b) => () => {
    const row = b.act!;
    for (let r = 0; r < E; r++) for (let d = 0; d < D; d++) seen[r * D + d] = row[r * obsAt.stride + u.obs.offset + d]!;
  });
  const step: Op[] = [...clamp, snapshot];
  model.program.step.forEach((op, i) => {
    if (u.learnOps.includes(i)) return;
    step.push(op);
    const layer = u.spikeOps.indexOf(i);
    const cols = silenceByLayer.get(layer);
    if (layer >= 0 && cols) {
      const at = layerAt(u, layer);
      step.push(
        hostOp({ act: at.rows }, (b) => () => {
          const row = b.act!;
          for (let r = 0; r < E; r++) for (const c of cols) row[r * at.stride + c] = 0;
        }),
      );
    }
  });
  const program: StepProgram = { ...model.program, step };
  const exec = new CpuExecutor(program);
  try {
    const rTrained = x0.run.replicas;
    const k = o.replica ?? 0;
    if (k < 0 || k >= rTrained) throw new AnalysisInputError(`--replica: the run has ${rTrained} replicas (0 to ${rTrained - 1}), got ${k}`);
    for (const name of u.weights) {
      const src = run.arrays[name];
      const dst = exec.view(name);
      if (!src || src.length % rTrained !== 0 || src.length / rTrained !== dst.length / E)
        throw new AnalysisInputError(`the checkpoint's '${name}' does not fit the run's network (${src?.length ?? 0} words for ${rTrained} replicas)`);
      const blocks = u.weightBlocks?.[name] ?? [dst.length / E];
      let at = 0;
      for (const per of blocks) {
        const one = Array.prototype.slice.call(src, rTrained * at + k * per, rTrained * at + (k + 1) * per) as number[];
        for (let r = 0; r < E; r++) dst.set(one, E * at + r * per);
        at += per;
      }
    }
    exec.reset();
    const counters = exec.view('env.counters') as Uint32Array;
    const reward = exec.view('env.reward') as Float32Array;
    const layers = u.units.map((v) => {
      const at = layerAt(u, v.layer);
      return { rows: at.rows.map((b) => exec.view(b)), stride: at.stride, prob: exec.view(at.prob), probStride: at.probStride };
    });
    const eps: EpisodeRecord[] = Array.from({ length: E }, () => ({ return: 0, steps: 0 }));
    const limit = o.inputs ? o.inputs.map((a) => Math.floor(a.length / D)) : new Array<number>(E).fill(u.episodeSteps);
    const maxSteps = Math.max(...limit);
    const rec = o.record
      ? {
          spikes: limit.map((T) => new Uint8Array(T * U)),
          prob: limit.map((T) => new Float32Array(T * U)),
          obs: limit.map((T) => new Float32Array(T * D)),
          reward: limit.map((T) => new Float32Array(T)),
        }
      : undefined;
    const done = new Uint8Array(E);
    let left = E;
    for (globalStep = 0; globalStep < maxSteps && left > 0; globalStep++) {
      const parity = exec.stepCount & 1;
      exec.run(1);
      for (let r = 0; r < E; r++) {
        if (done[r]) continue;
        const e = eps[r]!;
        const t = e.steps;
        if (rec) {
          for (let n = 0; n < U; n++) {
            const at = layers[n]!;
            rec.spikes[r]![t * U + n] = at.rows[parity]![r * at.stride + u.units[n]!.col]! > 0.5 ? 1 : 0;
            rec.prob[r]![t * U + n] = at.prob[r * at.probStride + u.prob.cols[n]!]!;
          }
          for (let d = 0; d < D; d++) rec.obs[r]![t * D + d] = seen[r * D + d]!;
          rec.reward[r]![t] = reward[r]!;
        }
        e.return += reward[r]!;
        e.steps = t + 1;
        // The env ended this episode (next-step autoreset pending), or the recording fed to it ran out.
        if ((!o.inputs && counters[2 * E + r]) || e.steps >= limit[r]!) {
          done[r] = 1;
          left--;
        }
      }
    }
    if (rec)
      eps.forEach((e, r) => {
        const T = e.steps;
        e.spikes = rec.spikes[r]!.subarray(0, T * U);
        e.prob = rec.prob[r]!.subarray(0, T * U);
        e.obs = rec.obs[r]!.subarray(0, T * D);
        e.reward = rec.reward[r]!.subarray(0, T);
      });
    return { env: x.env.name, units: u.units.map((v) => v.name), actions: u.actions, obsDim: D, episodes: eps };
  } finally {
    exec.destroy();
  }
}
