/**
 * Spike-train text format (one row per time step):
 *
 *   # chalk-spikes neurons=8 inputs=1        <- optional header (must be the first non-blank line)
 *   # any other line starting with '#' is a comment; blank lines are skipped
 *   0 1 0 0 1 0 0 0 -1                       <- N spike columns (0/1), then the input columns
 *   0,1,0,0,1,0,0,0,+1                       <- commas and/or whitespace separate columns
 *
 * Input columns hold integers (e.g. -1/+1 for example (a), or 7 pixel columns 0/1 for example (b)
 * with inputs=7). Without a header the last column is the (single) input and the rest are neurons.
 * Distinct input tuples are numbered in ascending (lexicographic numeric) order, so -1 -> 0, +1 -> 1.
 * Row t is the network state after step t's update, paid under input x_t.
 */
import type { SpikeTrain } from './dynamics.ts';

/** Thrown for malformed spike files; the message names the line number and the problem. */
export class SpikeFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
    this.name = 'SpikeFileError';
  }
}

const HEADER = /^#\s*chalk-spikes\b(.*)$/;

/** Parse a spike file into a SpikeTrain (inputs indexed by their sorted distinct values). */
export function parseSpikeFile(text: string): SpikeTrain & { inputColumns: number; inputValues: number[][] } {
  const lines = text.split(/\r?\n/);
  let neurons = -1;
  let inputColumns = 1;
  let sawData = false;
  const spikes: number[] = [];
  const rawInputs: number[][] = [];
  for (let ln = 0; ln < lines.length; ln++) {
    const lineNo = ln + 1;
    const line = lines[ln]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = HEADER.exec(line);
      if (m) {
        if (sawData || neurons > 0) throw new SpikeFileError(lineNo, 'header "# chalk-spikes" must come before any data row');
        const fields = Object.fromEntries(
          m[1]!
            .trim()
            .split(/\s+/)
            .filter((f) => f.length > 0)
            .map((f) => {
              const [k, v] = f.split('=');
              if (v === undefined) throw new SpikeFileError(lineNo, `header field '${f}' is not key=value`);
              return [k!, v];
            }),
        );
        for (const k of Object.keys(fields)) {
          if (k !== 'neurons' && k !== 'inputs') throw new SpikeFileError(lineNo, `unknown header field '${k}' (allowed: neurons, inputs)`);
        }
        if (fields.neurons === undefined) throw new SpikeFileError(lineNo, `header needs neurons=N`);
        neurons = Number(fields.neurons);
        if (!Number.isInteger(neurons) || neurons < 1 || neurons > 30) throw new SpikeFileError(lineNo, `header neurons must be an integer in [1, 30], got '${fields.neurons}'`);
        if (fields.inputs !== undefined) {
          inputColumns = Number(fields.inputs);
          if (!Number.isInteger(inputColumns) || inputColumns < 1 || inputColumns > 30) throw new SpikeFileError(lineNo, `header inputs must be an integer in [1, 30], got '${fields.inputs}'`);
        }
      }
      continue;
    }
    const cols = line.split(/[\s,]+/).filter((c) => c.length > 0);
    if (neurons < 0) {
      if (cols.length < 2) throw new SpikeFileError(lineNo, `expected at least 2 columns (neurons then input), got ${cols.length}`);
      neurons = cols.length - inputColumns;
    }
    const want = neurons + inputColumns;
    if (cols.length !== want) {
      throw new SpikeFileError(lineNo, `expected ${want} columns (${neurons} neurons + ${inputColumns} input), got ${cols.length}`);
    }
    sawData = true;
    for (let i = 0; i < neurons; i++) {
      const c = cols[i]!;
      if (c !== '0' && c !== '1') throw new SpikeFileError(lineNo, `column ${i + 1}: spike value '${c}' is not binary (0 or 1)`);
      spikes.push(c === '1' ? 1 : 0);
    }
    const xs: number[] = [];
    for (let k = 0; k < inputColumns; k++) {
      const c = cols[neurons + k]!;
      if (!/^[+-]?\d+$/.test(c)) throw new SpikeFileError(lineNo, `column ${neurons + k + 1}: input value '${c}' is not an integer`);
      xs.push(Number(c));
    }
    rawInputs.push(xs);
  }
  if (!sawData) throw new SpikeFileError(0, 'empty spike file: no data rows');
  if (rawInputs.length < 2) throw new SpikeFileError(0, `spike file has ${rawInputs.length} data row; at least 2 are needed for transitions`);
  const keyOf = (xs: number[]) => xs.join(',');
  const distinct = [...new Map(rawInputs.map((xs) => [keyOf(xs), xs])).values()].sort((a, b) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
    return 0;
  });
  const index = new Map(distinct.map((xs, i) => [keyOf(xs), i]));
  const input = Int32Array.from(rawInputs.map((xs) => index.get(keyOf(xs))!));
  return {
    neurons,
    steps: rawInputs.length,
    sigma: Uint8Array.from(spikes),
    input,
    inputLabels: distinct.map((xs) => xs.map((v) => (v > 0 && inputColumns === 1 ? `+${v}` : `${v}`)).join(' ')),
    inputColumns,
    inputValues: distinct,
  };
}

/**
 * Write a spike train in the format above. `inputValues[x]` gives the columns written for input
 * index x (default: the label parsed as integers, e.g. '-1' / '+1').
 */
export function formatSpikeFile(train: SpikeTrain, inputValues?: number[][]): string {
  const vals = inputValues ?? train.inputLabels.map((l) => l.split(/\s+/).map(Number));
  if (vals.some((row) => row.some((v) => !Number.isInteger(v)))) {
    throw new RangeError('inputValues must be given when input labels are not integers (e.g. pixel-count labels)');
  }
  const cols = vals[0]?.length ?? 1;
  const out: string[] = [`# chalk-spikes neurons=${train.neurons} inputs=${cols}`];
  const n = train.neurons;
  for (let t = 0; t < train.steps; t++) {
    const row: string[] = [];
    for (let i = 0; i < n; i++) row.push(String(train.sigma[t * n + i]));
    for (const v of vals[train.input[t]!]!) row.push(v > 0 && cols === 1 ? `+${v}` : String(v));
    out.push(row.join(' '));
  }
  return out.join('\n') + '\n';
}
