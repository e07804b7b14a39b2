import { meanStd, permutationTest, welch } from '../analysis/two-sample.ts';
import { CHEMOTAXIS_V0, startConcentration, successConcentration } from '../envs/chemotaxis.ts';
import type { GpuContext } from '../gpu/context.ts';
import type { BackendChoice } from '../experiment/train.ts';
import type { Experiment } from '../experiment/schema.ts';
import { trainExperiment } from '../experiment/train.ts';
import type { ConnectomeVariant } from './celegans.ts';

/**
 * `hedonist reproduce worm-chemotaxis`: does real wiring help? The chemotaxis experiment is trained
 * once per (wiring variant, seed) — run.seed = wiring seed = seed, one replica — and each run is
 * scored on its first and last `evalEpisodes` episodes: the untrained and the trained network.
 * An episode's end concentration is C_start + return / rewardGain (the return is the concentration
 * gained, src/envs/chemotaxis.ts); it "reached the peak" when that is at least the concentration at
 * successRadius.
 */
export interface WormScore {
  /** Fraction of the episodes that ended within successRadius of the peak. */
  success: number;
  /** Mean end concentration (1 at the peak; every episode starts at C_start). */
  concentration: number;
}

export interface WormRun {
  variant: ConnectomeVariant;
  seed: number;
  untrained: WormScore;
  trained: WormScore;
  wallSeconds: number;
}

export interface WormRow {
  variant: ConnectomeVariant;
  seeds: number;
  trainedSuccess: { mean: number; std: number };
  trainedConcentration: { mean: number; std: number };
  untrainedSuccess: { mean: number; std: number };
  untrainedConcentration: { mean: number; std: number };
}

/** A test between the connectome and another wiring on the per-seed trained end concentration. */
export interface WormTest {
  a: ConnectomeVariant;
  b: ConnectomeVariant;
  metric: 'trained concentration' | 'trained success';
  meanDiff: number;
  welchT: number;
  welchDf: number;
  /** Two-sided permutation p of the difference of means (exact for up to 2e6 relabellings). */
  p: number;
  exact: boolean;
}

export interface WormComparison {
  startConcentration: number;
  successConcentration: number;
  episodes: number;
  evalEpisodes: number;
  runs: WormRun[];
  rows: WormRow[];
  tests: WormTest[];
  wallSeconds: number;
}

/** Score a run's episode returns (first / last `k`). */
export function scoreReturns(returns: readonly number[], k: number, which: 'first' | 'last'): WormScore {
  const xs = which === 'first' ? returns.slice(0, k) : returns.slice(-k);
  const c0 = startConcentration(),
    cs = successConcentration(),
    g = CHEMOTAXIS_V0.rewardGain;
  const ends = xs.map((r) => c0 + r / g);
  return { success: ends.filter((c) => c >= cs).length / ends.length, concentration: ends.reduce((a, b) => a + b, 0) / ends.length };
}

export interface WormComparisonOptions {
  /** The experiment (env chemotaxis, one connectome wiring); variant, seeds, replicas and episodes are set per run. */
  base: Experiment;
  variants: readonly ConnectomeVariant[];
  seeds: readonly number[];
  episodes: number;
  evalEpisodes: number;
  /** Fills the connectome's edge list (Node: inlineConnectomes). */
  inline(x: Experiment): Experiment;
  train?: { ctx?: GpuContext; choice?: BackendChoice };
  onEpisode?(variant: ConnectomeVariant, seed: number, episode: number, ret: number): void;
  onRun?(r: WormRun): void;
}

/** The experiment of one (variant, seed) run. */
export function wormRunExperiment(base: Experiment, variant: ConnectomeVariant, seed: number, episodes: number): Experiment {
  const w = base.population.wiring?.[0];
  if (base.env?.name !== 'chemotaxis' || w?.kind !== 'connectome' || base.population.wiring!.length !== 1) {
    throw new RangeError('the worm comparison needs env chemotaxis and one connectome wiring (experiments/worm-chemotaxis.json)');
  }
  const { edges: _e, neurons: _n, ...wiring } = w;
  return {
    ...base,
    name: `${base.name}-${variant}-${seed}`,
    population: { ...base.population, wiring: [{ ...wiring, variant, seed }] },
    run: { ...base.run, seed, replicas: 1, episodes },
  };
}

export async function wormComparison(o: WormComparisonOptions): Promise<WormComparison> {
  if (o.evalEpisodes > o.episodes) throw new RangeError(`evalEpisodes ${o.evalEpisodes} exceeds episodes ${o.episodes}`);
  const t0 = performance.now();
  const runs: WormRun[] = [];
  for (const variant of o.variants) {
    for (const seed of o.seeds) {
      const x = o.inline(wormRunExperiment(o.base, variant, seed, o.episodes));
      const returns: number[] = [];
      const r = await trainExperiment(x, {
        ...o.train,
        sink: {
          write(m) {
            const ret = m['charts/episodic_return'];
            if (typeof ret === 'number' && returns.length < o.episodes) {
              returns.push(ret);
              o.onEpisode?.(variant, seed, returns.length - 1, ret);
            }
          },
          flush: () => 0,
        },
      });
      const run: WormRun = { variant, seed, untrained: scoreReturns(returns, o.evalEpisodes, 'first'), trained: scoreReturns(returns, o.evalEpisodes, 'last'), wallSeconds: r.wallSeconds };
      runs.push(run);
      o.onRun?.(run);
    }
  }
  return { ...wormComparisonOf(runs, o.variants, o.episodes, o.evalEpisodes), wallSeconds: (performance.now() - t0) / 1000 };
}

/**
 * The rows (mean and std over seeds per wiring) and the tests (connectome vs each other wiring) of
 * finished runs: those of one comparison, or of several with the same episodes pooled (runs of
 * different seeds). wallSeconds is the runs' own sum.
 */
export function wormComparisonOf(runs: readonly WormRun[], variants: readonly ConnectomeVariant[], episodes: number, evalEpisodes: number): WormComparison {
  const of = (v: ConnectomeVariant) => runs.filter((r) => r.variant === v);
  const ms = (xs: number[]) => {
    const s = meanStd(xs);
    return { mean: s.mean, std: s.std };
  };
  const rows = variants.map((variant): WormRow => {
    const rs = of(variant);
    return {
      variant,
      seeds: rs.length,
      trainedSuccess: ms(rs.map((r) => r.trained.success)),
      trainedConcentration: ms(rs.map((r) => r.trained.concentration)),
      untrainedSuccess: ms(rs.map((r) => r.untrained.success)),
      untrainedConcentration: ms(rs.map((r) => r.untrained.concentration)),
    };
  });
  const tests: WormTest[] = [];
  if (variants.includes('connectome') && of('connectome').length > 1) {
    for (const b of variants.filter((v) => v !== 'connectome')) {
      for (const metric of ['trained concentration', 'trained success'] as const) {
        const pick = (r: WormRun) => (metric === 'trained concentration' ? r.trained.concentration : r.trained.success);
        const xa = of('connectome').map(pick),
          xb = of(b).map(pick);
        const w = welch(xa, xb),
          perm = permutationTest(xa, xb);
        tests.push({ a: 'connectome', b, metric, meanDiff: meanStd(xa).mean - meanStd(xb).mean, welchT: w.t, welchDf: w.df, p: perm.p, exact: perm.exact });
      }
    }
  }
  return {
    startConcentration: startConcentration(),
    successConcentration: successConcentration(),
    episodes,
    evalEpisodes,
    runs: [...runs],
    rows,
    tests,
    wallSeconds: runs.reduce((a, r) => a + r.wallSeconds, 0),
  };
}

/**
 * One comparison from several finished ones (e.g. seeds 0-4 and 5-9 run as two processes): their
 * runs together, summarised again. They must share episodes and evalEpisodes, and no (wiring, seed)
 * may appear twice; the wirings keep their first order of appearance, each wiring's runs go by
 * seed, and the wall time is the runs' sum.
 */
export function combineWormComparisons(cs: readonly WormComparison[]): WormComparison {
  if (cs.length === 0) throw new RangeError('no comparisons to combine');
  const { episodes, evalEpisodes } = cs[0]!;
  const bad = cs.find((c) => c.episodes !== episodes || c.evalEpisodes !== evalEpisodes);
  if (bad) throw new RangeError(`the comparisons differ in episodes / eval episodes (${episodes} / ${evalEpisodes} vs ${bad.episodes} / ${bad.evalEpisodes})`);
  const runs = cs.flatMap((c) => c.runs);
  const seen = new Set<string>();
  for (const r of runs) {
    const key = `${r.variant} seed ${r.seed}`;
    if (seen.has(key)) throw new RangeError(`${key} is in more than one comparison`);
    seen.add(key);
  }
  const variants = [...new Set(runs.map((r) => r.variant))];
  const ordered = variants.flatMap((v) => runs.filter((r) => r.variant === v).sort((a, b) => a.seed - b.seed));
  return wormComparisonOf(ordered, variants, episodes, evalEpisodes);
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** The comparison as a Markdown table (docs/worm.md shows one). */
export function wormComparisonMarkdown(c: WormComparison): string {
  const lines = [
    `Episodes per run: ${c.episodes}; scored on the first (untrained) and last (trained) ${c.evalEpisodes}. Start concentration ${f3(c.startConcentration)}; "reached" = ends at concentration >= ${f3(c.successConcentration)} (within ${CHEMOTAXIS_V0.successRadius} of the peak). Mean (std) over seeds.`,
    '',
    '| wiring | seeds | reached, trained | end concentration, trained | reached, untrained | end concentration, untrained |',
    '|---|---|---|---|---|---|',
    ...c.rows.map(
      (r) =>
        `| ${r.variant} | ${r.seeds} | ${f3(r.trainedSuccess.mean)} (${f3(r.trainedSuccess.std)}) | ${f3(r.trainedConcentration.mean)} (${f3(r.trainedConcentration.std)}) | ${f3(r.untrainedSuccess.mean)} (${f3(r.untrainedSuccess.std)}) | ${f3(r.untrainedConcentration.mean)} (${f3(r.untrainedConcentration.std)}) |`,
    ),
  ];
  if (c.tests.length) {
    lines.push('', '| test | metric | mean difference | Welch t (df) | permutation p (two-sided) |', '|---|---|---|---|---|');
    for (const t of c.tests)
      lines.push(`| ${t.a} vs ${t.b} | ${t.metric} | ${f3(t.meanDiff)} | ${t.welchT.toFixed(2)} (${t.welchDf.toFixed(1)}) | ${t.p.toPrecision(3)}${t.exact ? ' (exact)' : ''} |`);
  }
  return lines.join('\n');
}
