import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSpikeFile } from '../../src/chalk/spike-file.ts';
import { expectPicture } from '../plot/png-check.ts';
import { hedonist } from '../cli/run-cli.ts';
import { json, trainSavedRun } from './saved-runs.ts';

// Small saved runs in this test's temporary cwd: two CartPole networks (seeds 0 and 3) and the worm
// connectome after 2 episodes, each with its final checkpoint.
beforeAll(async () => {
  await Promise.all([
    trainSavedRun('experiments/cartpole-reinforce.json', 'cp', ['run.episodes=20', 'run.replicas=2']),
    trainSavedRun('experiments/cartpole-reinforce.json', 'cp3', ['run.episodes=20', 'run.seed=3']),
    trainSavedRun('experiments/worm-chemotaxis.json', 'worm', ['run.episodes=2']),
  ]);
}, 600_000);

describe('hedonist analyze (CLI on saved runs)', () => {
  it('record: the CSV layout and a spike file that infer-reward reads', async () => {
    const r = await hedonist(['analyze', 'record', 'runs/worm', '--eval-episodes', '3', '--out', 'worm.csv', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out.units).toBe(302);
    expect(out.steps).toBe(300);
    const lines = readFileSync('worm.csv', 'utf8').trim().split('\n');
    const head = lines[0]!.split(',');
    expect(head.slice(0, 5)).toEqual(['episode', 't', 'reward', 'obs.0', 'obs.1']);
    expect(head.slice(5, 9)).toEqual(['AVBL', 'AVBR', 'AVAL', 'AVAR']);
    expect(head).toHaveLength(5 + 302);
    expect(lines).toHaveLength(301);
    const spikes = lines.slice(1).flatMap((l) => l.split(',').slice(5));
    expect(new Set(spikes)).toEqual(new Set(['0', '1']));
    const train = parseSpikeFile(readFileSync('worm.spk', 'utf8'));
    expect(train.neurons).toBe(12);
    expect(out.spikeFileUnits).toEqual(['AVBL', 'AVBR', 'AVAL', 'AVAR', 'SMDDL', 'SMDDR', 'RMDDL', 'RMDDR', 'SMDVL', 'SMDVR', 'RMDVL', 'RMDVR']);
    const inf = await hedonist(['infer-reward', '--spikes', 'worm.spk', '--lambda', '1', '--method', 'bellman', '--json']);
    expect(inf.code, inf.stderr).toBe(0);
    expect(json(inf).neurons).toBe(12);
    // Nothing is overwritten without --overwrite.
    const again = await hedonist(['analyze', 'record', 'runs/worm', '--eval-episodes', '3', '--out', 'worm.csv']);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/--overwrite/);
  });

  it('ablate: silencing every unit or the reversal command class drops the worm; one row per unit with --all-single, ranked', async () => {
    const r = await hedonist(['analyze', 'ablate', 'runs/worm', '--all', '--class', 'AVA', '--eval-episodes', '6', '--name', 'ab', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const a = json(r) as { intact: { meanReturn: number; endConcentration: number }; rows: { label: string; drop: number; rank: number; endConcentration: number }[] };
    const all = a.rows.find((x) => x.label === 'all units')!;
    // Every unit silent: the worm goes straight on and leaves the gradient (return ~ -32).
    expect(all.drop).toBeGreaterThan(15);
    expect(all.endConcentration).toBeLessThan(a.intact.endConcentration - 0.15);
    expect(a.rows.map((x) => x.rank)).toEqual([1, 2]);
    expect(a.rows[0]!.drop).toBeGreaterThanOrEqual(a.rows[1]!.drop);
    expect(readFileSync('runs/ab/ablation.csv', 'utf8').split('\n')[0]).toBe('rank,condition,units,mean_return,drop,drop_std,end_concentration,reached');
    expect(readFileSync('runs/ab/ablation.md', 'utf8')).toMatch(/\| 1 \| all units \| 302 \|/);
    expectPicture('runs/ab/ablation-drop-in-mean-return.png');
    const s = await hedonist(['analyze', 'ablate', 'runs/cp', '--all-single', '--eval-episodes', '5', '--name', 'abs', '--json']);
    expect(s.code, s.stderr).toBe(0);
    const rows = (json(s) as { rows: { label: string; drop: number }[] }).rows;
    expect(rows.map((x) => x.label).sort()).toEqual([...Array.from({ length: 8 }, (_, i) => `h0.${i}`), 'out.0'].sort());
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.drop).toBeLessThanOrEqual(rows[i - 1]!.drop);
  });

  it('pca: of a run and of a recording; the variance explained sums to 1; scree and path plots', async () => {
    const r = await hedonist(['analyze', 'pca', 'runs/cp', '--eval-episodes', '5', '--activity', 'prob', '--name', 'pca', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = json(r) as { explained: number[]; cumulative: number[] };
    expect(p.explained.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(p.cumulative.at(-1)).toBeCloseTo(1, 9);
    const csv = readFileSync('runs/pca/pca.csv', 'utf8').trim().split('\n');
    expect(csv[0]).toBe('component,explained,cumulative');
    expect(csv).toHaveLength(1 + p.explained.length);
    for (const f of readdirSync('runs/pca').filter((n) => n.endsWith('.png'))) expectPicture(`runs/pca/${f}`);
    expect(readdirSync('runs/pca').filter((n) => n.endsWith('.png'))).toHaveLength(2);
    const rec = await hedonist(['analyze', 'record', 'runs/cp', '--eval-episodes', '4', '--out', 'cp.csv']);
    expect(rec.code, rec.stderr).toBe(0);
    const f = await hedonist(['analyze', 'pca', 'cp.csv', '--name', 'pca-file', '--json']);
    expect(f.code, f.stderr).toBe(0);
    expect((json(f) as { explained: number[] }).explained.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
  });

  it('cka: 1 on the diagonal, symmetric, in [0, 1]; a heatmap', async () => {
    const r = await hedonist(['analyze', 'cka', 'runs/cp', 'runs/cp3', 'runs/cp', '--eval-episodes', '5', '--name', 'cka', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = json(r) as { matrix: number[][]; labels: string[] };
    expect(c.labels).toEqual(['cp #1', 'cp3', 'cp #3']);
    for (let i = 0; i < 3; i++) {
      expect(c.matrix[i]![i]).toBeCloseTo(1, 9);
      for (let j = 0; j < 3; j++) {
        expect(c.matrix[i]![j]).toBeCloseTo(c.matrix[j]![i]!, 12);
        expect(c.matrix[i]![j]).toBeGreaterThanOrEqual(0);
        expect(c.matrix[i]![j]).toBeLessThanOrEqual(1 + 1e-12);
      }
    }
    // The same run twice: the same units on the same inputs.
    expect(c.matrix[0]![2]).toBeCloseTo(1, 9);
    expect(c.matrix[0]![1]).toBeLessThan(1 - 1e-6);
    expectPicture('runs/cka/linear-cka-between-runs.png');
  });

  it('irl: scores the recorded spikes against time-shifted controls', async () => {
    const r = await hedonist(['analyze', 'irl', 'runs/cp', '--units', 'h0.0,h0.1,h0.2,out.0', '--eval-episodes', '10', '--shifts', '3', '--name', 'irl', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = json(r) as { observed: number; shifted: number[]; p: number; units: string[] };
    expect(s.units).toEqual(['h0.0', 'h0.1', 'h0.2', 'out.0']);
    expect(s.shifted).toHaveLength(3);
    expect(Number.isFinite(s.observed)).toBe(true);
    expect(existsSync('runs/irl/irl.md')).toBe(true);
  });

  it('bad input: one line, exit 2, no output directory', async () => {
    const cases: [string[], RegExp][] = [
      [['analyze', 'ablate', 'runs/worm'], /give --neurons/],
      [['analyze', 'ablate', 'runs/worm', '--neurons', 'AVAL,XYZ'], /--neurons: 'XYZ' is not one of the network's 302/],
      [['analyze', 'ablate', 'runs/worm', '--class', 'AVA,AVA'], /--class: 'AVA' is listed twice/],
      [['analyze', 'ablate', 'runs/cp', '--all', '--replica', '2'], /--replica: .* 2 replicas/],
      [['analyze', 'record', 'runs/none', '--out', 'x.csv'], /'runs\/none' does not exist/],
      [['analyze', 'record', 'runs/worm'], /--out FILE/],
      [['analyze', 'record', 'runs/worm', '--out', 'y.csv', '--units', 'AVAL,AVAR,AVBL,AVBR,SMDDL,SMDDR,SMDVL,SMDVR,RMDDL,RMDDR,RMDVL,RMDVR,ASEL'], /at most 12/],
      [['analyze', 'cka', 'runs/cp'], /at least two run directories/],
      [['analyze', 'cka', 'runs/cp', 'runs/worm'], /same env/],
      [['analyze', 'pca', 'cp-missing.csv'], /cannot read 'cp-missing.csv'/],
      [['analyze', 'pca', 'runs/cp/metrics.jsonl'], /header must start 'episode,t,reward'/],
      [['analyze', 'irl', 'runs/worm', '--units', 'ASEL', '--eval-episodes', '1'], /--eval-episodes/],
    ];
    const before = readdirSync('runs').length;
    for (const [args, re] of cases) {
      const r = await hedonist(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
    expect(readdirSync('runs').length).toBe(before);
  });
});
