/**
 * Pinned numbers of the synaptic-Q and GD CPU paths: every metrics record (as metrics.jsonl writes
 * it, in order) and the deterministic fields of each summary, hashed for fixed seeds and tiny
 * budgets. Taken from the hand-rolled CPU trainers (trainSynqBoundary, trainSynqMnist,
 * trainGdMnist) before they moved onto the core (commit 5041505); the core's CPU executor running
 * the same experiments reproduces them bit for bit. A deliberate change must be named in docs/synq.md.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import { reproduceBhargavaTable1 } from '../../src/synq/table1.ts';

type Rec = Record<string, unknown>;

/** sha256 of the records as metrics.jsonl lines. */
const hashLines = (records: Rec[]) =>
  createHash('sha256')
    .update(records.map((r) => JSON.stringify(r) + '\n').join(''))
    .digest('hex');

/** JSON with sorted keys (summaries: the field order is not part of the contract). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Rec)[k])]),
    );
  return v;
}
const NONDETERMINISTIC = ['wallSeconds', 'iterationsPerSecond', 'resumedFrom'];
const hashSummary = (s: object) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(Object.fromEntries(Object.entries(s).filter(([k]) => !NONDETERMINISTIC.includes(k))))))
    .digest('hex');

interface Case {
  name: string;
  run(): Promise<{ records: Rec[]; summary: object }>;
  records: string;
  summary: string;
  count: number;
}

/**
 * The records and summary of one experiment on the CPU executor (metrics.jsonl's records:
 * `{...m, replica}` per iteration and replica; the start check as `{event: 'failCheck', ...}`).
 */
const run = (rule: Record<string, unknown>, runFields: Record<string, unknown>) => async () => {
  const records: Rec[] = [];
  const x = parseExperiment({ rule, run: { ...runFields, backend: 'cpu' } });
  const r = await trainExperiment(x, { sink: { write: (m) => void records.push(m), flush: () => records.length } });
  return { records, summary: r.summary };
};

type Cfg = Record<string, unknown> & { seed?: number; replicas?: number };
const BOUNDARY_TASK = ['hidden', 'points'];
const MNIST_TASK = ['hidden', 'maxSamples', 'batchSize', 'batchInterval', 'failCheckIteration', 'failCheckAccuracy'];
/** A trainer config (the pinned cases' form) as an experiment's rule and run. */
function split(c: Cfg, taskKeys: string[], kind: string) {
  const { seed = 1, replicas = 1, ...rest } = c;
  const task: Record<string, unknown> = { kind };
  const rule: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) (taskKeys.includes(k) ? task : rule)[k] = v;
  return { rule: { ...rule, task }, run: { seed, replicas } };
}
const boundary = (c: Cfg) => {
  const { rule, run: r } = split(c, BOUNDARY_TASK, 'boundary');
  return run({ name: 'synaptic-q', ...rule }, r);
};
const mnist = (c: Cfg) => {
  const { rule, run: r } = split(c, MNIST_TASK, 'mnist');
  return run({ name: 'synaptic-q', ...rule }, r);
};
const gd = (c: Cfg) => {
  const { rule, run: r } = split(c, ['hidden', 'maxSamples'], 'mnist');
  return run({ name: 'gd', ...rule }, r);
};

/** reproduce bhargava-table1's records: `{experiment: row, ...m, replica}` with the row's budget as `total`. */
const table1 = (o: Omit<Parameters<typeof reproduceBhargavaTable1>[0], 'onRecord' | 'onRow'>) => async () => {
  const records: Rec[] = [];
  const summary = await reproduceBhargavaTable1({ ...o, onRecord: (row, m) => void records.push({ experiment: row, ...m }) });
  return { records, summary: { ...summary, rows: summary.rows.map(({ wallSeconds: _w, ...x }) => x) } };
};

const CASES: Case[] = [
  {
    name: 'synq-boundary golden (frozen), 2 replicas, evaluations at 50, 100 and the last iteration',
    run: boundary({ policy: 'golden', iterations: 120, hidden: 8, points: 60, replicas: 2, seed: 3, evalEvery: 50 }),
    records: 'eeddd4229a3a5f3789e90960751f18f21f239d3990ca46e11a30f75a755d62ea',
    summary: '2c44f1a1ecbfdf607d6102e6d9ab5c86b4b7eb40931bd10da91b3cceb4d989f8',
    count: 240,
  },
  {
    name: "synq-boundary table trained from zero ('count')",
    run: boundary({ policy: 'train', iterations: 100, hidden: 6, points: 50, replicas: 2, seed: 4, evalEvery: 25, epsilon: 0.3 }),
    records: 'cb3866baee26ffe1f7241d5894d4b47f816aca28dbedeaa01c300c5a0c2b1a7c',
    summary: 'c6a8ec047bf2d221b73e8b3e565265dbf5ba5f64c35c19bc5a63f7c492f8bdb4',
    count: 200,
  },
  {
    name: "synq-boundary table trained from zero ('mean')",
    run: boundary({ policy: 'train', tdRule: 'mean', iterations: 60, hidden: 5, points: 40, replicas: 2, seed: 8, evalEvery: 20 }),
    records: '10ea775603e04f1f8ff3d25015d8f7479e7581bf79b906576b178f18d7866d60',
    summary: '53839d0b7078a0353233390497b5fd418eadae2c1848c1b59cf4e117d607235b',
    count: 120,
  },
  {
    name: "synq-boundary table trained from zero ('sequential', the reference loop)",
    run: boundary({ policy: 'train', tdRule: 'sequential', iterations: 60, hidden: 5, points: 40, replicas: 2, seed: 9, evalEvery: 20 }),
    records: '82aa8b5b6dd991121f04ea8fd75ad0e05de7b0da64ec22f76336e9afeb55e41d',
    summary: '663b98309964660ab3747a55c2c5200ec0ccf33819dec085bcd4007ffec1068f',
    count: 120,
  },
  {
    name: 'synq-boundary golden table as the initial table, trained (trainPolicy)',
    run: boundary({ policy: 'golden', trainPolicy: true, iterations: 50, hidden: 4, points: 30, replicas: 1, seed: 2, evalEvery: 10 }),
    records: 'c35af11b63a278bea61a98450c5104731ba978e0842bb6dc99afcdba0bbe3381',
    summary: 'e4fb0add61ec7643068b700cd07a25eb5009da2a105e684d7a6438f0e4c40428',
    count: 50,
  },
  {
    name: 'synq-mnist 4 HU, table trained: crosses minibatch redraws (7), the alpha_s switch (10) and the start check (5)',
    run: mnist({
      hidden: 4,
      replicas: 2,
      seed: 5,
      iterations: 24,
      evalEvery: 6,
      maxSamples: 1000,
      batchSize: 100,
      batchInterval: 7,
      alphaS: 2e-3,
      alphaSSwitchIteration: 10,
      alphaSSwitched: 1e-3,
      failCheckIteration: 5,
      failCheckAccuracy: 0,
      policy: 'train',
    }),
    records: '1b9e1ccd9128af83830d0ce920692fe4668df26e2b9fee4021fc6af90fd6cbdf',
    summary: 'df5ec8122eb2b82d1569fa06b9373c93b40a4ab942ad54ce61808a5ae88607aa',
    count: 49,
  },
  {
    name: 'synq-mnist 0 HU golden: every replica fails the start check at 20 and the run stops there',
    run: mnist({ hidden: 0, iterations: 40, maxSamples: 600, batchSize: 100, evalEvery: 10, replicas: 2, failCheckIteration: 20, failCheckAccuracy: 1, seed: 1 }),
    records: '1c8454719110504a051641cb8f03776206fe4867a5ac9638d2b2381f1ad24b01',
    summary: '44e698f197329e21b927b54e4394d2062e8efcb814786a1ba09dc99238bed1cd',
    count: 41,
  },
  {
    name: "gd-mnist 4 HU, 'code' init, 2 replicas",
    run: gd({ hidden: 4, iterations: 4, maxSamples: 1500, evalEvery: 2, seed: 3, replicas: 2 }),
    records: '819efc2846bc5d92cf817aa70a3aa99c8e6fe446c706b55ad103d554f2a8a6e0',
    summary: '0bf54d9c208c0fccfc21dad2a572eba909fc6724ae501c9ca422cd768167b732',
    count: 8,
  },
  {
    name: "gd-mnist 0 HU, 'paired' init, replica 1 alone (firstReplica)",
    run: gd({ hidden: 0, iterations: 3, maxSamples: 800, evalEvery: 2, seed: 2, replicas: 1, firstReplica: 1, init: 'paired' }),
    records: 'ff08daae7fa24f228214297c8580e4067c5fa6ee07da0ef96ca91535de1fdf54',
    summary: '89da9e64a1e30c35ca0bd701347c61e19b6eabcb003d29df1f024856d4ea171a',
    count: 3,
  },
  {
    name: 'bhargava-table1 rows synrl-0hu and gd-0hu, tiny budgets',
    run: table1({ replicas: 2, seed: 4, iterations0: 12, gdIterations: 2, experiments: ['synrl-0hu', 'gd-0hu'], synq: { maxSamples: 500, evalEvery: 5 }, gd: { maxSamples: 500, evalEvery: 1 } }),
    records: '6df98108be2403563e04f0ba712783c163b80e6a2fc745b68e7a4e72f33784d8',
    summary: '0113145fb2c9cd5a90446cfc2e2bc762492f47f67c2537ec7573a9111685a615',
    count: 28,
  },
];

describe('pinned metrics of the synaptic-Q and GD CPU paths', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { records, summary } = await c.run();
    expect(records).toHaveLength(c.count);
    if (process.env.PRINT_HASHES) console.log(`HASH ${JSON.stringify(c.name)} ${hashLines(records)} ${hashSummary(summary)}`);
    expect({ records: hashLines(records), summary: hashSummary(summary) }).toEqual({ records: c.records, summary: c.summary });
  });
});
