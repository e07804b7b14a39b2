import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../src/plot/index.ts';
import { BIN, hedonist } from '../cli/run-cli.ts';
import { expectPicture } from './png-check.ts';

const PRESET = resolve('experiments/cartpole-reinforce.json');
const cwd = mkdtempSync(join(tmpdir(), 'hedonist-pictures-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** `hedonist ...` run in the temp directory (its runs/ and plots land there). */
const cli = (args: string[]) => hedonist(args, 120_000, cwd);

const short = (name: string, replicas: number, lr: number) => [
  'run',
  PRESET,
  '--set',
  `run.replicas=${replicas}`,
  '--set',
  'run.episodes=120',
  '--set',
  'run.backend="cpu"',
  '--set',
  `rule.lr=${lr}`,
  '--name',
  name,
];

/** Report HTML: the curves inline as SVG, nothing fetched from anywhere (opens offline). */
function checkReport(file: string, needles: string[]): string {
  const html = readFileSync(file, 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toMatch(/<svg[^>]*class="marks"/);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//);
  expect(html).not.toMatch(/<script|<link/);
  for (const n of needles) expect(html).toContain(n);
  return html;
}

describe('pictures of runs', () => {
  it('every `hedonist run` ends with curves.png, curves.svg and an offline report.html; `hedonist plot` overlays two runs', async () => {
    const a = await cli(short('pic-a', 3, 0.03));
    expect(a.code, a.stderr).toBe(0);
    const b = await cli(short('pic-b', 2, 0.01));
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toContain('pictures: runs/pic-a/curves.png, runs/pic-a/curves.svg, runs/pic-a/report.html');
    for (const run of ['pic-a', 'pic-b']) {
      const dir = join(cwd, 'runs', run);
      const s = expectPicture(join(dir, 'curves.png'), 1000, 600);
      expect(s.lumaStd).toBeGreaterThan(10);
      const svg = readFileSync(join(dir, 'curves.svg'), 'utf8');
      expect(svg).toContain('charts/episodic_return');
      expect(svg).toContain('episode');
      checkReport(join(dir, 'report.html'), ['cartpole-reinforce', 'finished', '&quot;lr&quot;', 'wallSeconds']);
    }
    expect(readFileSync(join(cwd, 'runs/pic-a/curves.svg'), 'utf8')).toContain('(3 replicas)');

    const p = await cli(['plot', 'runs/pic-a', 'runs/pic-b', '--paper-line', '195=Ott 2020', '--out', 'plots/both', '--json']);
    expect(p.code, p.stderr).toBe(0);
    const out = JSON.parse(p.stdout) as { png: string; svg: string; series: string[]; metric: string };
    expect(out.metric).toBe('charts/episodic_return');
    expect(out.series).toEqual(['pic-a (3 replicas)', 'pic-b (2 replicas)']);
    const svg = readFileSync(join(cwd, out.svg), 'utf8');
    for (const label of ['pic-a (3 replicas)', 'pic-b (2 replicas)', 'Ott 2020']) expect(svg).toContain(label);
    // two bands (replicas) and two mean lines
    expect(svg.match(/aria-roledescription="area mark"/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
    expectPicture(join(cwd, out.png), 1000, 600);

    // the same output again is refused without --overwrite (exit 2, one line)
    const again = await cli(['plot', 'runs/pic-a', '--out', 'plots/both']);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe('hedonist: plots/both.svg exists: pass --overwrite to replace it, or another --out');
    expect((await cli(['plot', 'runs/pic-a', '--out', 'plots/both', '--overwrite'])).code).toBe(0);
  });

  it('bad `hedonist plot` input: one line naming what is wrong, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['plot'], /^hedonist: give one or more run directories/],
      [['plot', 'runs/none'], /^hedonist: 'runs\/none' is not a run directory \(no metrics.jsonl in it\)$/],
      [['plot', 'runs/pic-a', '--paper-line', 'high'], /^hedonist: --paper-line must be a number Y or Y=label, got 'high'$/],
      [['plot', 'runs/pic-a', '--metric', 'nope', '--out', 'x'], /^hedonist: --metric 'nope' is not logged/],
      [['plot', 'runs/pic-a', '--band', 'iqr'], /^hedonist: --band must be one of minmax\|std, got 'iqr'$/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(msg);
    }
  });

  it('a run stopped by SIGINT still ends with its pictures, drawn from the metrics it has', async () => {
    const child = spawn('node', [BIN, 'run', PRESET, '--set', 'run.backend="cpu"', '--set', 'run.episodes=100000', '--set', 'run.replicas=2', '--name', 'pic-int'], { cwd, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const metrics = join(cwd, 'runs/pic-int/metrics.jsonl');
    const t0 = Date.now();
    while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').length > 300)) {
      if (Date.now() - t0 > 60_000) throw new Error('no metrics after 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expectPicture(join(cwd, 'runs/pic-int/curves.png'), 1000, 600);
    checkReport(join(cwd, 'runs/pic-int/report.html'), ['stopped by SIGINT']);
  });

  it('reproduce commands (their own run directories, not `hedonist run`) leave PNGs and a report: curves per panel and the table beside the paper', async () => {
    const t = await cli([
      'reproduce',
      'chung-table1',
      '--tasks',
      'multiplexer,acrobot',
      '--rules',
      'weightmax,reinforce',
      '--replicas',
      '2',
      '--episodes',
      '4',
      '--backend',
      'cpu',
      '--name',
      'rep-chung',
    ]);
    expect(t.code, t.stderr).toBe(0);
    const dir = join(cwd, 'runs/rep-chung');
    for (const f of ['curves.png', 'curves-multiplexer.png', 'curves-acrobot.png', 'chung-2022-table-1-acrobot-mean-return-over-training.png']) expectPicture(join(dir, f));
    const curves = readFileSync(join(dir, 'curves-acrobot.svg'), 'utf8');
    for (const label of ['weightmax (2 replicas)', 'reinforce (2 replicas)', 'task acrobot']) expect(curves).toContain(label);
    const bars = readFileSync(join(dir, 'chung-2022-table-1-acrobot-mean-return-over-training.svg'), 'utf8');
    for (const label of ['ours', 'paper', 'weightmax', 'reinforce']) expect(bars).toContain(label);
    expect(t.stderr).toContain(`pictures: ${join('runs/rep-chung', 'curves.png')}`);
    checkReport(join(dir, 'report.html'), ['rep-chung', 'task multiplexer', 'task acrobot']);

    const c = await cli(['reproduce', 'chalk', '--quick', '--name', 'rep-chalk']);
    expect(c.code, c.stderr).toBe(0);
    expectPicture(join(cwd, 'runs/rep-chalk/chalk-a-reward-recovered-from-spikes.png'));
    checkReport(join(cwd, 'runs/rep-chalk/report.html'), ['soft-Bellman inversion']);
  });

  it('a run killed without a summary (or that failed) gets its report from metrics.jsonl alone', async () => {
    const dir = join(cwd, 'killed');
    mkdirSync(dir);
    const lines = [];
    for (let e = 1; e <= 40; e++) for (let r = 0; r < 2; r++) lines.push(JSON.stringify({ iteration: e, loss: 1 / e + r * 0.1, accuracy: e / 40, replica: r }));
    writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n') + '\n{"iteration": 41, "lo');
    const f = await writeRunReport(dir);
    expect(f.png).toBe(join(dir, 'curves.png'));
    expectPicture(f.png!, 1000, 600);
    // accuracy first (the default order), loss as a second chart in the report
    expect(readFileSync(f.svg!, 'utf8')).toContain('accuracy');
    const html = checkReport(f.html, ['running or killed (no summary.json)', '80 metrics records']);
    expect(html.match(/<svg/g)).toHaveLength(2);
  });
});
