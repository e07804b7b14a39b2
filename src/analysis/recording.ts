/**
 * Recorded activity on disk (docs/analysis.md, "hedonist analyze record"):
 *
 * - the CSV layout: a header `episode,t,reward,obs.0,...,obs.<D-1>,<unit name>...`, then one row per
 *   recorded step: the episode index, the step within it (from 0), the env's reward after the step,
 *   the observation the network saw, and every unit's spike (0/1);
 * - Chalk's spike-file format (src/chalk/spike-file.ts), which `hedonist infer-reward` reads: at
 *   most 12 chosen units, the observation as integer input columns (the sign of each channel), and
 *   the network's synchronous steps expanded into asynchronous rows (below).
 */
import { SpikeFileError, formatSpikeFile, parseSpikeFile } from '../chalk/spike-file.ts';
import type { SpikeTrain } from '../chalk/dynamics.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import type { Evaluation } from './evaluate.ts';

/** Activity as a matrix: rows = recorded steps (episodes one after another), columns = units. */
export interface ActivityMatrix {
  units: string[];
  /** [rows * units] */
  data: Float64Array;
  rows: number;
  /** Episode of each row and its step within the episode. */
  episode: Int32Array;
  step: Int32Array;
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.fround(v)));

/** The CSV layout of a recorded evaluation. */
export function recordingCsv(ev: Evaluation): string {
  const head = ['episode', 't', 'reward', ...Array.from({ length: ev.obsDim }, (_, d) => `obs.${d}`), ...ev.units];
  const lines = [head.join(',')];
  const U = ev.units.length,
    D = ev.obsDim;
  ev.episodes.forEach((e, i) => {
    for (let t = 0; t < e.steps; t++) {
      const row: string[] = [String(i), String(t), num(e.reward![t]!)];
      for (let d = 0; d < D; d++) row.push(num(e.obs![t * D + d]!));
      for (let n = 0; n < U; n++) row.push(String(e.spikes![t * U + n]));
      lines.push(row.join(','));
    }
  });
  return lines.join('\n') + '\n';
}

/** The spikes (or, with `activity: 'prob'`, the firing probabilities) of an evaluation as a matrix. */
export function activityMatrix(ev: Evaluation, activity: 'spikes' | 'prob' = 'spikes'): ActivityMatrix {
  const U = ev.units.length;
  const rows = ev.episodes.reduce((s, e) => s + e.steps, 0);
  const data = new Float64Array(rows * U);
  const episode = new Int32Array(rows),
    step = new Int32Array(rows);
  let at = 0;
  ev.episodes.forEach((e, i) => {
    const src = activity === 'prob' ? e.prob! : e.spikes!;
    for (let t = 0; t < e.steps; t++, at++) {
      for (let n = 0; n < U; n++) data[at * U + n] = src[t * U + n]!;
      episode[at] = i;
      step[at] = t;
    }
  });
  return { units: [...ev.units], data, rows, episode, step };
}

/** Read a spike file back as a matrix: the CSV layout above, or Chalk's format (`# chalk-spikes` header or a .spk name). */
export function parseActivityFile(text: string, name: string): ActivityMatrix {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (name.endsWith('.spk') || first.startsWith('#')) {
    const t = parseSpikeFile(text);
    return {
      units: Array.from({ length: t.neurons }, (_, i) => `n${i}`),
      data: Float64Array.from(t.sigma),
      rows: t.steps,
      episode: new Int32Array(t.steps),
      step: Int32Array.from({ length: t.steps }, (_, i) => i),
    };
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0]!.split(',');
  if (head[0] !== 'episode' || head[1] !== 't' || head[2] !== 'reward')
    throw new SpikeFileError(1, `not a recording: the CSV header must start 'episode,t,reward' (hedonist analyze record), got '${head.slice(0, 3).join(',')}'`);
  const first0 = head.findIndex((h, i) => i > 2 && !/^obs\.\d+$/.test(h));
  if (first0 < 0) throw new SpikeFileError(1, 'the CSV header names no unit columns after the obs.* columns');
  const units = head.slice(first0);
  const U = units.length;
  const rows = lines.length - 1;
  if (rows < 2) throw new SpikeFileError(0, `the recording has ${rows} step rows; at least 2 are needed`);
  const data = new Float64Array(rows * U);
  const episode = new Int32Array(rows),
    step = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const cols = lines[r + 1]!.split(',');
    if (cols.length !== head.length) throw new SpikeFileError(r + 2, `expected ${head.length} columns, got ${cols.length}`);
    episode[r] = Number(cols[0]);
    step[r] = Number(cols[1]);
    for (let n = 0; n < U; n++) {
      const v = Number(cols[first0 + n]);
      if (!Number.isFinite(v)) throw new SpikeFileError(r + 2, `column ${first0 + n + 1} (${units[n]}): '${cols[first0 + n]}' is not a number`);
      data[r * U + n] = v;
    }
  }
  return { units, data, rows, episode, step };
}

/** What the spike file keeps of a recording, and which original step each of its rows ends. */
export interface ChalkTrain {
  train: SpikeTrain;
  /** Input columns per distinct input (the train's input index -> values written). */
  inputValues: number[][];
  /** For each recorded step (episodes one after another), its row in the train. */
  rowOfStep: Int32Array;
  /** Input index of each recorded step. */
  inputOfStep: Int32Array;
}

/** The integer input of an observation: the sign of each channel (-1, 0, +1). */
export const obsSign = (obs: ArrayLike<number>, at: number, D: number): number[] => Array.from({ length: D }, (_, d) => Math.sign(obs[at + d]!));

/**
 * The recording as Chalk's asynchronous spike train over the units `chosen` (at most 12): row t of
 * the network is the state after its step t under input x_t (the sign of each observation
 * channel). Between two rows the network changes many units at once; Chalk's dynamics change at
 * most one per row, so every unit that changed is flipped in a row of its own, in an order drawn
 * from (seed, step), each intermediate row under the input of the step it leads to. `spikesOf`
 * may substitute another spike sequence (a shuffled control) for the recorded one.
 */
export function chalkTrain(ev: Evaluation, chosen: readonly number[], seed: number, spikesOf?: (step: number, unit: number) => number): ChalkTrain {
  const U = ev.units.length,
    D = ev.obsDim,
    N = chosen.length;
  const steps: { sigma: number[]; x: number[] }[] = [];
  for (const e of ev.episodes)
    for (let t = 0; t < e.steps; t++) {
      const k = steps.length;
      steps.push({ sigma: chosen.map((u) => (spikesOf ? spikesOf(k, u) : e.spikes![t * U + u]!)), x: obsSign(e.obs!, t * D, D) });
    }
  const key = (xs: number[]) => xs.join(',');
  const distinct = [...new Map(steps.map((s) => [key(s.x), s.x])).values()].sort((a, b) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
    return 0;
  });
  const index = new Map(distinct.map((xs, i) => [key(xs), i]));
  const sigma: number[] = [];
  const input: number[] = [];
  const rowOfStep = new Int32Array(steps.length);
  const inputOfStep = new Int32Array(steps.length);
  let prev: number[] | undefined;
  steps.forEach((s, k) => {
    const x = index.get(key(s.x))!;
    inputOfStep[k] = x;
    if (prev) {
      const changed = chosen.map((_, i) => i).filter((i) => prev![i] !== s.sigma[i]);
      const rng = new CounterRng(seed, Stream.init, k);
      for (let i = changed.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [changed[i], changed[j]] = [changed[j]!, changed[i]!];
      }
      const cur = [...prev];
      // All but the last flip make rows of their own; the last one is the step's own row below.
      for (const i of changed.slice(0, -1)) {
        cur[i] = s.sigma[i]!;
        sigma.push(...cur);
        input.push(x);
      }
    }
    sigma.push(...s.sigma);
    input.push(x);
    rowOfStep[k] = input.length - 1;
    prev = s.sigma;
  });
  const labels = distinct.map((xs) => xs.join(' '));
  return { train: { neurons: N, steps: input.length, sigma: Uint8Array.from(sigma), input: Int32Array.from(input), inputLabels: labels }, inputValues: distinct, rowOfStep, inputOfStep };
}

/** Chalk's spike-file text of a recording (see `chalkTrain`). */
export function chalkSpikeText(ev: Evaluation, chosen: readonly number[], seed: number): string {
  const c = chalkTrain(ev, chosen, seed);
  const names = chosen.map((u) => ev.units[u]).join(' ');
  const note = `# units: ${names}; inputs: the sign of obs.0..obs.${ev.obsDim - 1}; synchronous steps expanded into single flips (docs/analysis.md)\n`;
  return formatSpikeFile(c.train, c.inputValues).replace(/^(# chalk-spikes[^\n]*\n)/, `$1${note}`);
}
