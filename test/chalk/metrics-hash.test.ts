import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reproduceFromTrained } from '../../src/chalk/reproduce.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import type { CodingCostModel } from '../../src/rules/coding-cost.ts';

/**
 * Pinned numbers of the chalk training commands on the CPU (fixed seeds, tiny budgets): a sha256 of
 * every metrics record in order (as metrics.jsonl lines: one progress record per chunk of steps,
 * {step, charts/gain, charts/mean_marginal}, then the command's final record), of the summary (less
 * its timing and backend) and of the trained policy table. Pinned from the hand-rolled CPU runners
 * (runSampler, runLogistic, trainChalkCounts, trainChalkPixels, reproduceChalk; commit 'chalk: pin
 * today's CPU metrics') before the family moved onto the core; the coding-cost rule's step programs
 * on the CPU executor reproduce every one exactly.
 */

type Rec = Record<string, unknown>;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const lines = (records: Rec[]) => sha(records.map((r) => JSON.stringify(r) + '\n').join(''));
/** JSON with sorted keys, so a hash sees values, not construction order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, (x as Rec)[k]]),
        )
      : x,
  );
function summaryHash(s: Rec): string {
  const { timeMs: _t, piOne: _p, adapter: _a, ...rest } = s;
  const config = rest.config as Rec | undefined;
  if (config) {
    const { backend: _b, ...c } = config;
    rest.config = c;
  }
  return sha(canonical(rest));
}

interface Pinned {
  records?: string;
  summary: string;
  policy?: string;
}
interface Case {
  name: string;
  /** The experiment the CLI builds from its flags (rule 'coding-cost'), trained on the CPU. */
  run(): Promise<{ records?: Rec[]; summary: Rec; piOne?: number[] }>;
  pinned: Pinned;
}

/** Train a coding-cost experiment on the CPU executor: every record the sink saw, the summary and the policy table. */
async function train(rule: Rec, run: Rec = {}) {
  const x = parseExperiment({ rule: { name: 'coding-cost', ...rule }, run: { backend: 'cpu', ...run } });
  const model = buildModel(x) as CodingCostModel;
  const records: Rec[] = [];
  const r = await trainExperiment(x, { model, sink: { write: (m) => void records.push(m), flush: () => records.length } });
  const piOne = model.trained?.piOne;
  return { records, summary: r.summary as Rec, model, ...(piOne ? { piOne: Array.from(piOne) } : {}) };
}

const CASES: Case[] = [
  {
    name: 'train chalk-counts (exact, lambda 0.15, seed 0)',
    run: () => train({ lambda: 0.15 }, { seed: 0 }),
    pinned: {
      records: '9df4c9b2388b941359213487ed48ae315d3ee3037ac23ff202fe26c5bf62ecfb',
      summary: '8d8ec87289984266a5364eaccd43cea4b5b02ecdbca1585156c0a5c85eae62cf',
      policy: '23f9706223f0e97adbf760c5e658d1e7716db18bc7df4ad7f6e3adf895e12117',
    },
  },
  {
    name: 'train chalk-counts --update sync --neurons 4 (exact, lambda 0.1)',
    run: () => train({ lambda: 0.1, task: { name: 'counts', update: 'sync', neurons: 4, targets: [1, 3] } }, { seed: 0 }),
    pinned: {
      records: 'fcf311dace9e154ef10300c24798acbb5347b235295585b9520fb115e6715861',
      summary: '49d6ea6aec9cd46f3140b7fefebf148b96c58c4dbc92ab15acd2781d5e0f0ab4',
      policy: '872e4b060f799a9c41d36df12b8e0885f4d0b89fc7c49fc1e99d9ed48a698c4b',
    },
  },
  {
    name: 'train chalk-counts --solver sampled (16 chains x 1000 steps, marginal warm-up 300, seed 3)',
    run: () => train({ lambda: 0.15, solver: 'sampled', sampled: { chains: 16, steps: 1000, marginalWarmup: 300 } }, { seed: 3, stepsPerChunk: 250 }),
    pinned: {
      records: '94cdd4099d1dddee73cd60b4637c0a503f03f3783028f490c10bb1060c1c23a1',
      summary: 'd3eb0bc8d2bc78685dbef057dcd8f9c34a2a6ed3676cc59d45c3e1ee30d12b7a',
      policy: '864952687f5dc39ef41d01179330a5b773da7f6c9afafb4d3dda04cdf83e6e0c',
    },
  },
  {
    name: 'train chalk-counts --policy logistic (async, N 8, 16 chains x 600 steps, seed 2)',
    run: () => train({ lambda: 0.15, solver: 'sampled', policy: 'logistic', logistic: { chains: 16, steps: 600, countBins: 8, marginalWarmup: 200 } }, { seed: 2, stepsPerChunk: 100 }),
    pinned: {
      records: '7224a07d5d40bed7d87f3ed1074b85b223d9dd7a11738405d0bd1f0de7261cd9',
      summary: 'b8e95df56fa5ed955ca7efc86e2cb6d0bd6bb89931decc37a64c6c19d858fb14',
      policy: '994e6dffe07b3fa5132edc1bcebf0f524e4ba9612160faf7cc2e5f5bb2b6bbd8',
    },
  },
  {
    name: 'train chalk-counts --policy logistic --update sync --reward smooth --neurons 64 (8 chains x 400 steps)',
    run: () =>
      train(
        {
          lambda: 0.01,
          solver: 'sampled',
          policy: 'logistic',
          task: { name: 'counts', update: 'sync', reward: 'smooth', neurons: 64, targets: [16, 48] },
          logistic: { chains: 8, steps: 400, countBins: 16, marginalWarmup: 100 },
        },
        { seed: 1, stepsPerChunk: 100 },
      ),
    pinned: {
      records: '440c5f63e90fe2109680fe4bdf2462a3c96f58d72df6bf4d804a745f250a917c',
      summary: '546a7d7a9b18759b79b2f640dfbb20785280b5d0e107e7a5b001392f892a228c',
    },
  },
  {
    name: 'train chalk-pixels (lambda 0.1, seed 0)',
    run: () => train({ lambda: 0.1, task: { name: 'pixels', pixelProb: 0.5 } }, { seed: 0 }),
    pinned: {
      records: '3d70306cd6b7b30fb53f56bc191ebe21aa78a9de07bcb99effcf2e8d936d865d',
      summary: '2ff33d135082f74c824708d998a6e3c855fde72143aac94bb1a67ca2fb6d77a8',
      // The solved policy, exposed on the model since the playground draws it (records and summary unchanged).
      policy: 'e0722cd479338929e016e5f775d3f59c7a7b437f01bb96cd9d32c684f5b43ce7',
    },
  },
  {
    name: 'reproduce chalk --quick (lambda 0.5, seed 7)',
    run: async () => {
      const { model } = await train({ lambda: 0.5 });
      const t = model.trained!;
      const s = reproduceFromTrained({ config: t.config!, problem: t.problem!, piOne: t.piOne!, analysis: t.analysis! }, { seed: 7, samples: [1_000, 10_000, 100_000], maxLikelihood: false });
      return { summary: s as unknown as Rec };
    },
    pinned: {
      summary: '203dd4a98ae0158dc235b8c29eb81aa14144d92d137d5983d692e1b2683dd1ad',
    },
  },
  {
    name: "the same reproduction as the experiment's rule.reproduce (what reproduce chalk and its sweep cell run)",
    run: async () => {
      const { summary } = await train({ lambda: 0.5, reproduce: { seed: 7, samples: [1_000, 10_000, 100_000], maxLikelihood: false } });
      return { summary: summary.reproduction as Rec };
    },
    pinned: {
      summary: '203dd4a98ae0158dc235b8c29eb81aa14144d92d137d5983d692e1b2683dd1ad',
    },
  },
];

describe('rule.reproduce', () => {
  it.each([
    [{ solver: 'sampled' }, "rule.reproduce analyses an exact solve: it needs rule.solver 'exact' and rule.policy 'tabular' (task counts)"],
    [{ task: { name: 'pixels' } }, "rule.reproduce analyses example (a): it needs rule.task.name 'counts'"],
  ])('is refused beside %j, naming the field', (rule, message) => {
    const x = parseExperiment({ rule: { name: 'coding-cost', ...rule, reproduce: {} }, run: { backend: 'cpu' } });
    expect(() => buildModel(x)).toThrow(message);
  });
});

describe('chalk metrics on the core match those pinned from the hand-rolled runners (CPU)', () => {
  it.each(CASES)('$name', async (c) => {
    const r = await c.run();
    const got: Pinned = { ...(r.records ? { records: lines(r.records) } : {}), summary: summaryHash(r.summary), ...(r.piOne?.length ? { policy: sha(JSON.stringify(r.piOne)) } : {}) };
    expect(got).toEqual(c.pinned);
  });
});
