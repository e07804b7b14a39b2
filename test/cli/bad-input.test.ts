/**
 * Nothing lost, whatever the input: every bad input of issue #15 gets one line on stderr and a
 * non-zero exit (2: a usage or config error naming the flag or field; 1: a file error naming the
 * path), and no existing run or file is overwritten or truncated. The disk faults run on small
 * tmpfs mounts (root): a read-only file system and a full one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './run-cli.ts';

/** `hedonist ARGS` in directory `cwd`; never throws. */
function hedonistIn(cwd: string, args: string[], timeout = 180_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', [BIN, ...args], { cwd, timeout, maxBuffer: 64 << 20 }, (e, stdout, stderr) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** Every file under dir with its bytes, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = join(dir, f);
    if (statSync(p).isFile()) out[f] = readFileSync(p, 'utf8');
  }
  return out;
}

/** A Q-table file (golden layout) whose every entry is value(i). */
function qTable(file: string, value: (i: number) => number): string {
  let i = 0;
  const mk = (d: number): unknown => (d === 5 ? value(i++) : [mk(d + 1), mk(d + 1), mk(d + 1)]);
  writeFileSync(file, JSON.stringify({ Q: mk(0) }));
  return file;
}

const mounts: string[] = [];
function tmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hedonist-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

/** An existing run that no bad input may touch. */
function existingRun(root: string): void {
  mkdirSync(join(root, 'runs/keep'), { recursive: true });
  writeFileSync(join(root, 'runs/keep/metrics.jsonl'), '{"episode":0,"return":9}\n');
  writeFileSync(join(root, 'runs/keep/summary.json'), '{"kept":true}\n');
}

let work = '';
let before: Record<string, string> = {};
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hedonist-bad-input-'));
  existingRun(work);
  qTable(join(work, 'over.json'), () => 1e39);
  qTable(join(work, 'alt.json'), (i) => (i % 2 ? 3.4e38 : -3.4e38));
  mkdirSync(join(work, 'a-directory'));
  before = snapshot(work);
});

afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
      rmSync(m, { recursive: true, force: true });
    } catch {}
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

const CPU_CARTPOLE = ['train', 'cartpole-reinforce', '--backend', 'cpu', '--episodes', '2', '--replicas', '2'];

/** [what, args, exit code, the one line]. */
const CASES: [string, string[], number, RegExp][] = [
  ["run name '..'", [...CPU_CARTPOLE, '--name', '..'], 2, /^hedonist: --name: run name '\.\.' may hold only letters, digits, '\.', '_' and '-', and not be '\.' or '\.\.'$/],
  ["run name '.'", [...CPU_CARTPOLE, '--name', '.'], 2, /^hedonist: --name: run name '\.' may hold only/],
  ["run name with '/'", [...CPU_CARTPOLE, '--name', 'a/../../b'], 2, /^hedonist: --name: run name 'a\/\.\.\/\.\.\/b' may hold only/],
  ['a run name of 250 characters', [...CPU_CARTPOLE, '--name', 'x'.repeat(250)], 2, /^hedonist: --name: run name is 250 characters long; at most 200$/],
  ['a reused run name', [...CPU_CARTPOLE, '--name', 'keep'], 2, /^hedonist: run 'keep' already exists in runs\/keep: pass --overwrite to replace it/],
  [
    'a reused run name (reproduce)',
    ['reproduce', 'ott-table1', '--name', 'keep', '--replicas', '1', '--layers', '1', '--rewards', 'task', '--episodes', '1', '--backend', 'cpu'],
    2,
    /^hedonist: run 'keep' already exists in runs\/keep/,
  ],
  ['a flag given twice', [...CPU_CARTPOLE, '--seed', '1', '--seed', '2'], 2, /^hedonist: --seed is given twice \(give each flag once\)$/],
  ['--layers 1,,2', ['reproduce', 'ott-table1', '--layers', '1,,2'], 2, /^hedonist: --layers must be a comma-separated list of integers in \[0, 10\] with no empty items, got '1,,2'$/],
  ["--layers ' ,'", ['reproduce', 'ott-table1', '--layers', ' ,'], 2, /^hedonist: --layers must be .* with no empty items, got ' ,'$/],
  ['--layers 1,1', ['reproduce', 'ott-table1', '--layers', '1,1'], 2, /^hedonist: --layers lists '1' twice, got '1,1'$/],
  ['--rules weightmax,weightmax', ['reproduce', 'chung-table1', '--rules', 'weightmax,weightmax'], 2, /^hedonist: --rules lists 'weightmax' twice/],
  [
    '--max-samples 1 (no validation set)',
    ['train', 'synq-mnist', '--backend', 'cpu', '--max-samples', '1', '--batch', '1'],
    2,
    /^hedonist: rule\.task\.maxSamples 1 with validationFraction 0\.25 leaves no validation images \(1 training, 0 validation\)/,
  ],
  [
    '--batch larger than the training pool',
    ['train', 'synq-mnist', '--backend', 'cpu', '--max-samples', '1000', '--batch', '5000'],
    2,
    /^hedonist: rule\.task\.batchSize must be at most the training split's 750 images, got 5000$/,
  ],
  ['--actor-trust with the tabular policy', ['train', 'chalk-counts', '--actor-trust', '1'], 2, /^hedonist: --actor-trust applies only with --policy logistic/],
  ['--bins with the tabular policy', ['train', 'chalk-counts', '--bins', '8'], 2, /^hedonist: --bins applies only with --policy logistic/],
  ['--steps-per-submit on the CPU backend', ['train', 'ott-cartpole', '--backend', 'cpu', '--steps-per-submit', '100'], 2, /^hedonist: --steps-per-submit applies only on WebGPU/],
  ['--iterations (renamed --steps)', ['train', 'synq-boundary', '--iterations', '5'], 2, /^hedonist: --iterations was renamed --steps$/],
  ['--max-episodes (renamed --episodes)', ['train', 'ott-cartpole', '--max-episodes', '5'], 2, /^hedonist: --max-episodes was renamed --episodes$/],
  ['--gd-iterations (renamed --gd-steps)', ['reproduce', 'bhargava-table1', '--gd-iterations', '5'], 2, /^hedonist: --gd-iterations was renamed --gd-steps$/],
  ['--steps with the exact solver', ['train', 'chalk-counts', '--steps', '100'], 2, /^hedonist: --steps applies only with --solver sampled or --policy logistic/],
  ['--backend webgpu with the exact solver', ['reproduce', 'chalk', '--backend', 'webgpu'], 2, /^hedonist: --backend webgpu: reproduce chalk runs the exact solver/],
  ['--trace-form without --traces', ['train', 'chung-cartpole', '--trace-form', 'shifted'], 2, /^hedonist: --trace-form applies only with --traces$/],
  [
    'an oversized network on the CPU backend (checked before allocating)',
    ['train', 'cartpole-reinforce', '--backend', 'cpu', '--hidden', '4096', '--replicas', '1048576', '--name', 'huge'],
    2,
    /^hedonist: the experiment needs \d+ bytes of host memory \(largest buffer 'traj': \d+ bytes\); the CPU backend holds at most \d+: use fewer run\.replicas or a smaller population$/,
  ],
  ['a train target missing', ['train'], 2, /^hedonist: train needs a target \(allowed: cartpole-reinforce, .*; hedonist train --help describes them\)$/],
  [
    'a Q-table of 1e39 (finite in f64, not in f32)',
    ['train', 'synq-boundary', '--backend', 'cpu', '--policy', 'over.json'],
    2,
    /^hedonist: --policy: over\.json: Q\[0\]\[0\]\[0\]\[0\]\[0\] must be finite as a 32-bit float/,
  ],
  [
    'a Q-table that turns all-NaN',
    ['train', 'synq-boundary', '--backend', 'cpu', '--policy', 'alt.json', '--train-policy', '--steps', '100', '--name', 'nan', '--json'],
    1,
    /^hedonist: non-finite value in buffer 'q-a'/,
  ],
  [
    'an output path that is a directory',
    ['train', 'synq-boundary', '--backend', 'cpu', '--steps', '5', '--save-table', 'a-directory', '--name', 'dir-out'],
    1,
    /^hedonist: --save-table: cannot write a-directory: it is a directory \(EISDIR\)$/,
  ],
  [
    'an output file in a missing directory',
    ['train', 'chalk-counts', '--spikes-out', 'no/such/dir/spikes.txt', '--name', 'no-dir'],
    1,
    /^hedonist: --spikes-out: cannot write no\/such\/dir\/spikes\.txt: no such file or directory \(ENOENT\)$/,
  ],
  [
    'an output file name too long',
    ['train', 'synq-boundary', '--backend', 'cpu', '--steps', '5', '--save-table', `${'t'.repeat(300)}.json`, '--name', 'long-out'],
    1,
    /^hedonist: --save-table: cannot write t+\.json: the name is too long \(ENAMETOOLONG\)$/,
  ],
];

describe('bad inputs: one line, a non-zero exit, nothing existing touched', () => {
  it.each(CASES)('%s', async (_what, args, code, line) => {
    const r = await hedonistIn(work, args);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !/^\S+: (cpu|webgpu) \(/.test(l));
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
  });

  it('left every existing file as it was (runs/keep, the tables) and wrote no run for a refused input', () => {
    const after = snapshot(work);
    for (const [f, text] of Object.entries(before)) expect(after[f], f).toBe(text);
    // Refused before the run started: no run directory at all.
    expect(readdirSync(join(work, 'runs')).sort()).toEqual(['keep', 'nan']);
  });
});

describe('--steps-per-submit when --backend auto picks the CPU twins', () => {
  it.each([
    ['train ott-cartpole', ['train', 'ott-cartpole', '--layers', '1', '--replicas', '1', '--episodes', '1', '--steps-per-submit', '100']],
    ['reproduce ott-table1', ['reproduce', 'ott-table1', '--layers', '1', '--rewards', 'task', '--replicas', '1', '--episodes', '1', '--steps-per-submit', '100']],
    ['train million', ['train', 'million', '--units', '64', '--episodes', '2', '--steps-per-submit', '2']],
  ])('%s: refused before the run directory when auto chose the CPU; run on WebGPU otherwise', async (_what, args) => {
    const cwd = mkdtempSync(join(tmpdir(), 'hedonist-sps-'));
    try {
      const r = await hedonistIn(cwd, [...args, '--backend', 'auto', '--name', 'sps', '--json']);
      if (r.code === 2) {
        // A software adapter (SwiftShader): auto chose the CPU twins, which have no GPU submits.
        expect(r.stderr.trim()).toMatch(
          /^hedonist: --steps-per-submit applies only on WebGPU \(it sets the env steps per GPU submit\), --backend auto chose the CPU twins \(auto: .* software adapter/,
        );
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(readdirSync(cwd)).toEqual([]);
      } else {
        // A hardware adapter: auto chose WebGPU, where the flag applies.
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout).backend).toBe('webgpu');
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('disk faults (tmpfs mounts)', () => {
  it('a read-only file system: one line naming the run directory, exit 1, the existing run intact', async () => {
    const ro = tmpfs('1m');
    existingRun(ro);
    const kept = snapshot(ro);
    execFileSync('mount', ['-o', 'remount,ro', ro]);
    const r = await hedonistIn(ro, [...CPU_CARTPOLE, '--name', 'ro-run']);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !/^\S+: (cpu|webgpu) \(/.test(l)),
    ).toEqual(['hedonist: cannot create the run directory runs/ro-run: the file system is read-only (EROFS)']);
    expect(r.code).toBe(1);
    expect(snapshot(ro)).toEqual(kept);
  });

  it('a full file system: one line naming the metrics file, exit 1, whole lines only, the existing run intact', async () => {
    const full = tmpfs('64k');
    existingRun(full);
    const kept = snapshot(full);
    // 8 replicas x 1000 episodes of metrics (~500 kB) into 64 kB.
    const r = await hedonistIn(full, ['train', 'cartpole-reinforce', '--backend', 'cpu', '--episodes', '1000', '--name', 'full-run']);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !/^\S+: (cpu|webgpu) \(/.test(l)),
    ).toEqual(['hedonist: cannot write runs/full-run/metrics.jsonl: no space left on the device (ENOSPC)']);
    expect(r.code).toBe(1);
    const metrics = readFileSync(join(full, 'runs/full-run/metrics.jsonl'), 'utf8');
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.endsWith('\n')).toBe(true);
    for (const l of metrics.trimEnd().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
    const after = snapshot(full);
    for (const [f, text] of Object.entries(kept)) expect(after[f], f).toBe(text);
    expect(Object.keys(after).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
