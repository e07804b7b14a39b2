import type { HostArray } from './kernel-def.ts';
import type { StepProgram } from './program.ts';

/** One value of a metrics record (lists: e.g. a check's per-replica results; small objects of numbers, e.g. one per input). */
export type MetricsValue = number | string | boolean | null | readonly MetricsValue[] | Readonly<Record<string, number>>;

/** One metrics record as streamed to metrics.jsonl. */
export type MetricsRecord = Record<string, MetricsValue>;

/**
 * Turns the metrics buffer's words into records as readbacks arrive, and knows when the run is
 * done. Its state goes into checkpoints (`save` / `load`, JSON), so a resumed run continues the
 * log where the checkpoint left it.
 */
export interface MetricsDecoder {
  ingest(words: Uint32Array, emit: (r: MetricsRecord) => void): void;
  /** True once every replica has what the run asked for. */
  readonly done: boolean;
  /** Work done and the target, for progress bars (e.g. episodes logged over all replicas). */
  progress(): { done: number; total: number; label?: Record<string, number>; unit?: string };
  save(): unknown;
  load(state: unknown): void;
}

/**
 * Where a model's neuron-agents live in its step program, for analyses of a trained network
 * (src/analysis/): spikes, the observation they saw, the learned weights, and the ops that write
 * spikes or learn.
 */
export interface UnitMap {
  /** The activity rows, alternating with the step's parity: step t reads and writes rows[t & 1]. */
  rows: readonly [string, string];
  /** Words per replica in each row. */
  stride: number;
  /** Steps after which the env truncates an episode (its maxEpisodeSteps as built). */
  episodeSteps: number;
  /** The env's observation in a row (what the network saw this step). */
  obs: { offset: number; count: number };
  /** Every unit: its name, its column in a row, the layer (index into `spikeOps`) that writes it. */
  units: { name: string; col: number; layer: number }[];
  /** The units whose spikes the env reads as its action (indices into `units`). */
  actions: number[];
  /** Indices into `program.step` of the op writing each layer's spikes, in layer order. */
  spikeOps: number[];
  /** Indices into `program.step` of the ops that change weights (left out when a trained network is evaluated). */
  learnOps: number[];
  /** The learned parameters: buffers laid out replica-outermost (`length / replicas` words each), unless `weightBlocks` says otherwise. */
  weights: string[];
  /** Weight buffers made of several blocks, each replica-outermost: the words per replica of each block, in order (e.g. [w | b]). */
  weightBlocks?: Readonly<Record<string, readonly number[]>>;
  /** Where each layer's spikes and probabilities live when not in `rows` / `prob.buffer` (one buffer per layer): `col` and `prob.cols` index into these. */
  layerRows?: readonly { rows: readonly [string, string]; stride: number; prob: string; probStride: number }[];
  /** Where the observation lives when not in `rows` (its own buffer, `obs.offset` into it). */
  obsRows?: { rows: readonly [string, string]; stride: number };
  /** The firing probabilities [replica, prob column] written with the spikes, and each unit's column there (same order as `units`). */
  prob: { buffer: string; stride: number; cols: number[] };
}

/**
 * An experiment ready to run: the step program, how to read its metrics, how many steps go into
 * one chunk (one submit on the GPU), and the summary of what the decoder saw.
 */
export interface Model<S extends object = object> {
  /** The model's kind (checked when a checkpoint is resumed). */
  kind: string;
  program: StepProgram;
  decoder: MetricsDecoder;
  stepsPerChunk: number;
  /**
   * Env steps after which the run has nothing left to do (a step cap, or a learner's fixed number of
   * iterations): the loop submits no step past it, cutting the last chunk short on either backend,
   * and the decoder must be done once it has seen them.
   */
  stepLimit?: number;
  /**
   * For models whose runs have a fixed length and points the metrics must land on (evaluations, a
   * stop check): the chunk that starts after `stepCount` steps — its steps (at most stepsPerChunk;
   * 0: the run is over, the loop never runs past it) and whether the loop waits for its metrics
   * before going on (the decoder may end the run there). Chunks are also cut at multiples of
   * `checkpointEvery`, so checkpoints land on exact steps. Absent: chunks of stepsPerChunk (up to
   * stepLimit) until the decoder is done.
   */
  chunkAt?(stepCount: number): { steps: number; sync?: boolean };
  /**
   * Its checkpoints may go on on the other backend: the state is exact at every chunk end (the
   * loop never runs past the run), and floats carry on within the kernels' parity tolerance.
   */
  portable?: boolean;
  /** The summary, given the final state buffers (every non-scratch, non-constant buffer). */
  summarise(state: Readonly<Record<string, HostArray>>): S;
  /** Records appended to the metrics after the last chunk of a finished (not stopped) run. */
  finalRecords?(summary: S): MetricsRecord[];
  /** Its neuron-agents' places in the program (models of a population of spiking units). */
  units?: UnitMap;
}
