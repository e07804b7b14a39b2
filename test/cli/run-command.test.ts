import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpointFile, writeCheckpointFile } from '../../src/cli/checkpoint-files.ts';
import { RUN_CHECKPOINT } from '../../src/run/loop.ts';
import { killAndResume, lineCount, until } from './kill-resume.ts';
import { BIN, hedonist as cli } from './run-cli.ts';

const PRESET = 'experiments/cartpole-reinforce.json';
// 8 replicas x 1000 episodes on the CPU twins: a few seconds, long enough to stop midway.
const LONG = ['--set', 'run.backend="cpu"', '--set', 'run.seed=4'];

/** Start `hedonist ...` and resolve once `ready()` holds (polled), with the child. */
function start(args: string[]) {
  const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return { child, exited, out: () => ({ stdout, stderr }) };
}

describe('hedonist run', () => {
  it('killed with SIGKILL midway and resumed, ends with the same metrics as a straight run', async () => {
    const { straight: a, resumed: b } = await killAndResume([PRESET, ...LONG], 'test-run', { lines: 8000, every: 2000, killAfter: 1500 });
    expect(b.last100MeanReturn).toEqual(a.last100MeanReturn);
    expect(b.envSteps).toBe(a.envSteps);
  });

  it('SIGINT finishes the chunk, then leaves valid metrics, a checkpoint and a summary, and exits 130', async () => {
    rmSync('runs/test-run-sigint', { recursive: true, force: true });
    const p = start(['run', PRESET, ...LONG, '--name', 'test-run-sigint']);
    await until(() => lineCount('runs/test-run-sigint/metrics.jsonl') > 500);
    p.child.kill('SIGINT');
    const e = await p.exited;
    expect(e.code).toBe(130);
    const lines = readFileSync('runs/test-run-sigint/metrics.jsonl', 'utf8').trim().split('\n');
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    const s = JSON.parse(readFileSync('runs/test-run-sigint/summary.json', 'utf8'));
    expect(s.stopped).toBe(true);
    expect(s.signal).toBe('SIGINT');
    expect(statSync('runs/test-run-sigint/checkpoint.bin').size).toBeGreaterThan(1000);
    expect(p.out().stdout).toMatch(/stopped by SIGINT/);
    // ... and the run goes on from there to the end.
    const r = await cli(['run', '--resume', 'runs/test-run-sigint', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lineCount('runs/test-run-sigint/metrics.jsonl')).toBe(8000);
  });

  it('a SIGTERM exits 143', async () => {
    rmSync('runs/test-run-sigterm', { recursive: true, force: true });
    const p = start(['run', PRESET, ...LONG, '--name', 'test-run-sigterm']);
    await until(() => lineCount('runs/test-run-sigterm/metrics.jsonl') > 200);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(143);
    expect(JSON.parse(readFileSync('runs/test-run-sigterm/summary.json', 'utf8')).signal).toBe('SIGTERM');
  });

  it('a NaN in a weight buffer stops the run with one line naming the buffer, and the last good checkpoint stays', async () => {
    rmSync('runs/test-run-nan', { recursive: true, force: true });
    const first = await cli(['run', PRESET, '--set', 'run.replicas=2', '--set', 'run.episodes=50', '--set', 'run.backend="cpu"', '--checkpoint-every', '1000', '--name', 'test-run-nan']);
    expect(first.code, first.stderr).toBe(0);
    // Inject: a NaN into the stored weights of layer 0, and more episodes to go, so the resumed run steps on.
    const file = 'runs/test-run-nan/checkpoint.bin';
    const { parts } = readCheckpointFile(file, RUN_CHECKPOINT);
    (parts.arrays['theta-0'] as Float32Array)[5] = NaN;
    (parts.header.experiment as { run: { episodes: number } }).run.episodes = 400;
    writeCheckpointFile(file, parts);
    const injected = readFileSync(file);
    const r = await cli(['run', '--resume', 'runs/test-run-nan']);
    expect(r.code).toBe(1);
    // The run's start line, then the error: one line, no stack.
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/resuming at step \d+/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^hedonist: non-finite value in buffer 'theta-0' at element \d+, found after env step \d+; the last good checkpoint is kept$/);
    expect(readFileSync(file).equals(injected)).toBe(true);
    const s = JSON.parse(readFileSync('runs/test-run-nan/summary.json', 'utf8'));
    expect(s.buffer).toBe('theta-0');
  });

  it.each([
    ['cpu', 2, /^hedonist: the experiment needs \d+ bytes of host memory \(largest buffer 'traj': \d+ bytes\); the CPU backend holds at most \d+: use fewer run.replicas or a smaller population$/],
    ['webgpu', 1, /^hedonist: buffer 'act-a' needs \d+ but the adapter's \w+.* is \d+$/],
  ])("refuses sizes past the %s backend's limits before allocating anything, leaving no run directory", async (backend, code, msg) => {
    rmSync('runs/test-run-huge', { recursive: true, force: true });
    const r = await cli(['run', PRESET, '--set', 'run.replicas=1048576', '--set', 'population.hidden=[4096]', '--set', `run.backend="${backend}"`, '--name', 'test-run-huge', '--json']);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(msg);
    expect(existsSync('runs/test-run-huge')).toBe(false);
  });

  it('refuses to overwrite another run unless asked', async () => {
    rmSync('runs/test-run-twice', { recursive: true, force: true });
    const args = ['run', PRESET, '--set', 'run.episodes=3', '--set', 'run.replicas=1', '--name', 'test-run-twice', '--json'];
    expect((await cli(args)).code).toBe(0);
    const again = await cli(args);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      "hedonist: run 'test-run-twice' already exists in runs/test-run-twice: pass --overwrite to replace it, --resume runs/test-run-twice to continue it, or another --name",
    );
    expect((await cli([...args, '--overwrite'])).code).toBe(0);
  });

  it.each([
    [['run'], /give an experiment file/],
    [['run', 'no-such-file.json'], /cannot read 'no-such-file.json' \(ENOENT\)/],
    [['run', PRESET, '--set', 'run.replicas=0'], /^hedonist: run.replicas must be an integer in \[1, 1048576\], got 0$/],
    [['run', PRESET, '--set', 'rule.name="ppo"'], /^hedonist: rule.name must be one of reinforce/],
    [['run', PRESET, '--set', 'run'], /--set must be path=value/],
    [['run', '--resume', 'runs/no-such-run'], /--resume: cannot read checkpoint/],
    [['run', PRESET, '--resume', 'runs/x'], /give no FILE, --set, --backend, --seed, --episodes or --replicas with it/],
    [['run', '--resume', 'runs/x', '--seed', '3'], /give no FILE, --set, --backend, --seed, --episodes or --replicas with it/],
    [['run', PRESET, '--seed', '3', '--set', 'run.seed=4'], /^hedonist: --seed and --set run.seed=4 both set run.seed: give one$/],
    [['run', PRESET, '--set', 'run={"episodes":3}', '--episodes', '2'], /^hedonist: --episodes and --set run=\{"episodes":3\} both set run.episodes: give one$/],
    [['run', PRESET, '--replicas', '0'], /--replicas/],
    [['run', PRESET, '--backend', 'cpu', '--set', 'run.backend="webgpu"'], /^hedonist: --backend and --set run.backend="webgpu" both set run.backend: give one$/],
  ])('%j fails with one line and exit 2', async (args, msg) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(msg);
  });

  it('reads a hand-written experiment file and fills its defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedonist-exp-'));
    const file = join(dir, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({ name: 'mine', env: { name: 'cartpole' }, population: { hidden: [6, 4] }, rule: { name: 'reinforce', lr: 0.05 }, run: { replicas: 2, episodes: 5, backend: 'cpu' } }),
    );
    rmSync('runs/test-run-mine', { recursive: true, force: true });
    const r = await cli(['run', file, '--name', 'test-run-mine', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.experiment.population.hidden).toEqual([6, 4]);
    expect(s.experiment.rule.gamma).toBe(0.99);
    expect(s.episodesLogged).toEqual([5, 5]);
  });

  it("--backend overrides the file's run.backend (the same flag as every training command's); not beside --resume", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedonist-exp-'));
    const file = join(dir, 'gpu.json');
    writeFileSync(file, JSON.stringify({ env: { name: 'cartpole' }, population: { hidden: [4] }, rule: { name: 'reinforce' }, run: { replicas: 1, episodes: 2, backend: 'webgpu' } }));
    rmSync('runs/test-run-backend', { recursive: true, force: true });
    const r = await cli(['run', file, '--backend', 'cpu', '--name', 'test-run-backend', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect([s.backend, s.experiment.run.backend]).toEqual(['cpu', 'cpu']);
    const again = await cli(['run', '--resume', 'runs/test-run-backend', '--backend', 'webgpu']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('hedonist: --resume continues a run as its checkpoint stored it: give no FILE, --set, --backend, --seed, --episodes or --replicas with it\n');
  });

  it('--seed, --episodes and --replicas set run.seed / run.episodes / run.replicas over the file (the flags every training command has)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedonist-exp-'));
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify({ env: { name: 'cartpole' }, population: { hidden: [4] }, rule: { name: 'reinforce' }, run: { seed: 1, replicas: 1, episodes: 2, backend: 'cpu' } }));
    rmSync('runs/test-run-flags', { recursive: true, force: true });
    const r = await cli(['run', file, '--seed', '3', '--episodes', '3', '--replicas', '2', '--name', 'test-run-flags', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect([s.experiment.run.seed, s.experiment.run.episodes, s.experiment.run.replicas]).toEqual([3, 3, 2]);
    expect(s.episodesLogged).toEqual([3, 3]);
    rmSync('runs/test-run-flags', { recursive: true, force: true });
  });
});
