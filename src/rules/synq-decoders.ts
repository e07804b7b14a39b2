/**
 * The metrics decoders of synaptic Q-learning and the GD baseline: the per-iteration log and the
 * evaluation copies of the metrics buffer (synq-program.ts) become the records and summaries the
 * reference trainers wrote — one record per iteration and replica ({iteration, loss, reward,
 * accuracy | validAccuracy, replica}; GD: no reward), the start check's record before its
 * iteration's — with every evaluation computed on the host from the copied weights or outputs, by
 * the reference's own functions (evaluateMnist, failCheck, signAccuracy).
 */
import { synqLogEntry } from '../kernels/synq-log.ts';
import type { MetricsDecoder, MetricsRecord } from '../run/model.ts';
import type { MnistSet } from '../data/mnist.ts';
import type { GdInit } from '../synq/config.ts';
import { signAccuracy } from '../synq/loss.ts';
import type { MlpLayout } from '../synq/mlp.ts';
import { evaluateMnist, failCheck, type FailCheck, type MnistSplit } from '../synq/mnist-task.ts';
import { qTableToJson, type QTableJson } from '../synq/q-table.ts';
import { evaluatedAt, region, type EvalPoints, type MetricsLayout } from './synq-program.ts';

/** Thresholds reported in the boundary summary's `firstReached`. */
export const BOUNDARY_THRESHOLDS = [0.8, 0.9, 0.95, 0.977];

/** JSON-serialisable result of a boundary run. */
export interface SynqBoundarySummary {
  task: 'synq-boundary';
  iterations: number;
  replicas: number;
  trainPolicy: boolean;
  /** Sign-agreement accuracy on the training points at the end, per replica. */
  finalAccuracy: number[];
  /** Accuracy of the untrained networks, per replica. */
  initialAccuracy: number[];
  /** Fraction of points in the target's majority class (the constant-classifier baseline), per replica. */
  majorityFraction: number[];
  initialLoss: number[];
  /** Final loss (norm / N), per replica. */
  finalLoss: number[];
  /** Accuracy at each evaluation (rows: evaluation, columns: replica). */
  curve: { iteration: number; accuracy: number[]; loss: number[] }[];
  /** First evaluated iteration at which accuracy reached each threshold, per replica (null: never). */
  firstReached: Record<string, (number | null)[]>;
  wallSeconds: number;
  iterationsPerSecond: number;
  /** Replica 0's table at the end (golden layout). */
  table: QTableJson | null;
  /** Replica 0's fraction of positive rewards over the run. */
  positiveRewardFraction: number;
}

/** JSON-serialisable result of an MNIST synaptic-RL run. */
export interface SynqMnistSummary {
  task: 'synq-mnist';
  hidden: number;
  iterations: number;
  replicas: number;
  trainPolicy: boolean;
  /** Final validation accuracy per replica. */
  validAccuracy: number[];
  /** Final validation cross-entropy per replica. */
  validLoss: number[];
  /** Final minibatch loss per replica. */
  batchLoss: number[];
  curve: { iteration: number; validAccuracy: number[]; batchLoss: number[] }[];
  /** The failed-start check, when it ran (null: the run ended before failCheckIteration, or it is 0). */
  failCheck: FailCheck | null;
  /** Iterations actually run (less than `iterations` when every replica failed the check). */
  iterationsRun: number;
  wallSeconds: number;
  iterationsPerSecond: number;
  table: QTableJson | null;
  /** Iteration of the checkpoint this run continued from (absent: it started fresh). */
  resumedFrom?: number;
}

/** JSON-serialisable result of a GD run. */
export interface GdMnistSummary {
  task: 'gd-mnist';
  hidden: number;
  iterations: number;
  replicas: number;
  /** Index of the first replica (its split and init are those of that replica in a larger run). */
  firstReplica: number;
  /** How the weights started (GdInit). */
  init: GdInit;
  validAccuracy: number[];
  validLoss: number[];
  /** Final full-training-set loss per replica. */
  trainLoss: number[];
  curve: { iteration: number; validAccuracy: number[]; trainLoss: number[] }[];
  wallSeconds: number;
  iterationsPerSecond: number;
}

/** What every decoder here keeps: iterations logged, the last losses, wall time. */
interface LogState {
  seen: number;
  losses: number[];
  wall: number;
}

/**
 * Shared walk over the log: `onIteration(t, losses, codes, words)` for each iteration new in this
 * readback, in order; an evaluated iteration must be the chunk's last (its copies are its state).
 */
abstract class IterationLog<S extends LogState> implements MetricsDecoder {
  protected st: S;
  private t0 = performance.now();
  constructor(
    protected readonly m: MetricsLayout,
    protected readonly evals: EvalPoints,
    /** Iterations the run trains for. */
    protected readonly iterations: number,
    init: S,
  ) {
    this.st = init;
  }

  protected abstract onIteration(t: number, losses: number[], codes: number[], words: Uint32Array, evaluated: boolean, emit: (r: MetricsRecord) => void): void;
  protected onFirst(_words: Uint32Array): void {}
  abstract progress(): { done: number; total: number; label?: Record<string, number>; unit?: string };

  get done(): boolean {
    return this.st.seen >= this.iterations;
  }

  /** Progress in iterations, labelled with replica 0's last loss and its last evaluated accuracy under `key` (none before the first evaluation). */
  protected iterationProgress(key: string, accuracy: number | undefined) {
    return {
      done: this.st.seen,
      total: this.iterations,
      label: { loss: Number((this.st.losses[0] ?? NaN).toPrecision(5)), ...(accuracy !== undefined ? { [key]: Number(accuracy.toFixed(4)) } : {}) },
      unit: 'iterations',
    };
  }

  /** The summary's timing fields: wall seconds so far and `count` iterations over them. */
  protected timing(count: number): { wallSeconds: number; iterationsPerSecond: number } {
    const wallSeconds = this.wall();
    return { wallSeconds, iterationsPerSecond: count / wallSeconds };
  }

  ingest(words: Uint32Array, emit: (r: MetricsRecord) => void): void {
    const count = words[0]!;
    if (count === 0) return;
    if (count - this.st.seen > this.m.cap) throw new Error(`metrics log overflow: ${count - this.st.seen} iterations between readbacks (ring of ${this.m.cap})`);
    if (this.st.seen === 0) this.onFirst(words);
    for (let t = this.st.seen + 1; t <= count && !this.done; t++) {
      const evaluated = evaluatedAt(this.evals, t);
      if (evaluated && t !== count) throw new Error(`iteration ${t} is evaluated but its chunk ended at ${count}: chunks must end at evaluations`);
      const losses: number[] = [],
        codes: number[] = [];
      for (let r = 0; r < this.m.replicas; r++) {
        const e = synqLogEntry(this.m, words, t, r);
        losses.push(e.loss);
        codes.push(e.code);
      }
      this.onIteration(t, losses, codes, words, evaluated, emit);
      this.st.seen = t;
      this.st.losses = losses;
    }
  }

  /** Wall seconds of training so far (over every resumed part). */
  protected wall(): number {
    return this.st.wall + (performance.now() - this.t0) / 1000;
  }

  save(): unknown {
    return { ...this.st, wall: this.wall() };
  }

  load(s: unknown): void {
    this.st = structuredClone(s) as S;
    this.t0 = performance.now();
  }
}

interface BoundaryState extends LogState {
  initialLoss: number[];
  initialAccuracy: number[];
  curve: SynqBoundarySummary['curve'];
  firstReached: Record<string, (number | null)[]>;
  positives: number;
  table: QTableJson | null;
}

/** The boundary task's decoder: accuracy = sign agreement of the copied outputs with the targets. */
export class BoundaryLog extends IterationLog<BoundaryState> {
  readonly majorityFraction: number[];
  constructor(
    m: MetricsLayout,
    evals: EvalPoints,
    private readonly c: { iterations: number; replicas: number; points: number; trainPolicy: boolean },
    private readonly targets: Float32Array,
  ) {
    const firstReached: BoundaryState['firstReached'] = {};
    for (const th of BOUNDARY_THRESHOLDS) firstReached[String(th)] = new Array(c.replicas).fill(null);
    super(m, evals, c.iterations, { seen: 0, losses: [], wall: 0, initialLoss: [], initialAccuracy: [], curve: [], firstReached, positives: 0, table: null });
    const { replicas: R, points: P } = c;
    this.majorityFraction = Array.from({ length: R }, (_, r) => {
      let pos = 0;
      for (let i = 0; i < P; i++) if (targets[r * P + i]! > 0) pos++;
      return Math.max(pos, P - pos) / P;
    });
  }

  protected override onFirst(words: Uint32Array): void {
    this.st.initialLoss = Array.from(region(this.m, words, 'initial-loss'));
    this.st.initialAccuracy = signAccuracy(this.c.replicas, this.c.points, region(this.m, words, 'initial-outputs'), this.targets);
  }

  protected onIteration(t: number, losses: number[], codes: number[], words: Uint32Array, evaluated: boolean, emit: (r: MetricsRecord) => void): void {
    const R = this.c.replicas;
    if (codes[0] === 2) this.st.positives++;
    const acc = evaluated ? signAccuracy(R, this.c.points, region(this.m, words, 'eval'), this.targets) : null;
    if (acc) {
      this.st.curve.push({ iteration: t, accuracy: acc, loss: losses });
      for (const th of BOUNDARY_THRESHOLDS) {
        const row = this.st.firstReached[String(th)]!;
        for (let r = 0; r < R; r++) if (row[r] === null && acc[r]! >= th) row[r] = t;
      }
      this.st.table = qTableToJson(region(this.m, words, 'table'), 0);
    }
    for (let r = 0; r < R; r++) emit({ iteration: t, loss: losses[r]!, reward: codes[r]! - 1, ...(acc ? { accuracy: acc[r]! } : {}), replica: r });
  }

  progress() {
    return this.iterationProgress('accuracy', this.st.curve[this.st.curve.length - 1]?.accuracy[0]);
  }

  summary(): SynqBoundarySummary {
    const last = this.st.curve[this.st.curve.length - 1];
    return {
      task: 'synq-boundary',
      iterations: this.c.iterations,
      replicas: this.c.replicas,
      trainPolicy: this.c.trainPolicy,
      finalAccuracy: last?.accuracy ?? [],
      initialAccuracy: this.st.initialAccuracy,
      majorityFraction: this.majorityFraction,
      initialLoss: this.st.initialLoss,
      finalLoss: last?.loss ?? [],
      curve: this.st.curve,
      firstReached: this.st.firstReached,
      ...this.timing(this.c.iterations),
      table: this.st.table,
      positiveRewardFraction: this.st.positives / this.c.iterations,
    };
  }
}

/** The MNIST data a decoder evaluates on: the images, each replica's split, the network's shape. */
export interface MnistEval {
  data: MnistSet;
  splits: MnistSplit[];
  layout: MlpLayout;
}

interface FinalEval {
  validAccuracy: number[];
  validLoss: number[];
}

/** The final evaluation of R replicas' weights on their validation splits. */
function finalEval(e: MnistEval, weights: Float32Array): FinalEval {
  const N = e.layout.numSynapses;
  const f = e.splits.map((s, r) => evaluateMnist(e.layout, weights.subarray(r * N, (r + 1) * N), e.data, s.valid));
  return { validAccuracy: f.map((x) => x.accuracy), validLoss: f.map((x) => x.loss) };
}

/** A summary's final validation figures: the final evaluation's, else the last curve point's accuracy (no loss). */
function finalValid(final: FinalEval | null, last: { validAccuracy: number[] } | undefined): FinalEval {
  return { validAccuracy: final?.validAccuracy ?? last?.validAccuracy ?? [], validLoss: final?.validLoss ?? [] };
}

const validAccuracy = (e: MnistEval, weights: Float32Array): number[] => {
  const N = e.layout.numSynapses;
  return e.splits.map((s, r) => evaluateMnist(e.layout, weights.subarray(r * N, (r + 1) * N), e.data, s.valid).accuracy);
};

interface MnistState extends LogState {
  curve: SynqMnistSummary['curve'];
  failCheck: FailCheck | null;
  final: FinalEval | null;
  table: QTableJson | null;
  resumedFrom?: number;
}

/** The synaptic-Q MNIST decoder: validation accuracy at evaluations, the start check, the final evaluation. */
export class SynqMnistLog extends IterationLog<MnistState> {
  constructor(
    m: MetricsLayout,
    evals: EvalPoints,
    private readonly c: { iterations: number; replicas: number; hidden: number; trainPolicy: boolean; failCheckIteration: number; failCheckAccuracy: number },
    private readonly e: MnistEval,
  ) {
    super(m, evals, c.iterations, { seen: 0, losses: [], wall: 0, curve: [], failCheck: null, final: null, table: null });
  }

  private allFailed(): boolean {
    return this.st.failCheck !== null && this.st.failCheck.failed.every(Boolean);
  }

  protected onIteration(t: number, losses: number[], codes: number[], words: Uint32Array, evaluated: boolean, emit: (r: MetricsRecord) => void): void {
    const weights = evaluated ? region(this.m, words, 'eval') : null;
    if (weights && t === this.c.failCheckIteration) {
      this.st.failCheck = failCheck(this.e.layout, weights, this.e.data, this.e.splits, t, this.c.failCheckAccuracy);
      emit({ event: 'failCheck', ...this.st.failCheck });
    }
    const acc = weights && (t % this.evals.every === 0 || t === this.c.iterations) ? validAccuracy(this.e, weights) : null;
    if (acc) this.st.curve.push({ iteration: t, validAccuracy: acc, batchLoss: losses });
    for (let r = 0; r < this.c.replicas; r++) emit({ iteration: t, loss: losses[r]!, reward: codes[r]! - 1, ...(acc ? { validAccuracy: acc[r]! } : {}), replica: r });
    if (weights && (t === this.c.iterations || this.allFailed())) {
      this.st.final = finalEval(this.e, weights);
      this.st.table = qTableToJson(region(this.m, words, 'table'), 0);
    }
  }

  override get done(): boolean {
    return super.done || this.allFailed();
  }

  progress() {
    return this.iterationProgress('validAccuracy', this.st.curve[this.st.curve.length - 1]?.validAccuracy[0]);
  }

  override load(s: unknown): void {
    super.load(s);
    this.st.resumedFrom = this.st.seen;
  }

  summary(): SynqMnistSummary {
    return {
      task: 'synq-mnist',
      hidden: this.c.hidden,
      iterations: this.c.iterations,
      replicas: this.c.replicas,
      trainPolicy: this.c.trainPolicy,
      ...finalValid(this.st.final, this.st.curve[this.st.curve.length - 1]),
      batchLoss: this.st.losses,
      curve: this.st.curve,
      failCheck: this.st.failCheck,
      iterationsRun: this.st.seen,
      ...this.timing(this.st.seen),
      table: this.st.table,
      ...(this.st.resumedFrom !== undefined ? { resumedFrom: this.st.resumedFrom } : {}),
    };
  }
}

interface GdState extends LogState {
  curve: GdMnistSummary['curve'];
  final: FinalEval | null;
}

/** The GD decoder: the training loss of every step, validation accuracy at evaluations. Replicas are named first + r. */
export class GdLog extends IterationLog<GdState> {
  constructor(
    m: MetricsLayout,
    evals: EvalPoints,
    private readonly c: { iterations: number; replicas: number; hidden: number; firstReplica: number; init: GdInit },
    private readonly e: MnistEval,
  ) {
    super(m, evals, c.iterations, { seen: 0, losses: [], wall: 0, curve: [], final: null });
  }

  protected onIteration(t: number, losses: number[], _codes: number[], words: Uint32Array, evaluated: boolean, emit: (r: MetricsRecord) => void): void {
    const weights = evaluated ? region(this.m, words, 'eval') : null;
    const acc = weights ? validAccuracy(this.e, weights) : null;
    if (acc) this.st.curve.push({ iteration: t, validAccuracy: acc, trainLoss: losses.slice() });
    for (let r = 0; r < this.c.replicas; r++) emit({ iteration: t, loss: losses[r]!, ...(acc ? { validAccuracy: acc[r]! } : {}), replica: this.c.firstReplica + r });
    if (weights && t === this.c.iterations) this.st.final = finalEval(this.e, weights);
  }

  progress() {
    return this.iterationProgress('validAccuracy', this.st.curve[this.st.curve.length - 1]?.validAccuracy[0]);
  }

  summary(): GdMnistSummary {
    return {
      task: 'gd-mnist',
      hidden: this.c.hidden,
      iterations: this.c.iterations,
      replicas: this.c.replicas,
      firstReplica: this.c.firstReplica,
      init: this.c.init,
      ...finalValid(this.st.final, this.st.curve[this.st.curve.length - 1]),
      trainLoss: this.st.losses,
      curve: this.st.curve,
      ...this.timing(this.c.iterations),
    };
  }
}
