/**
 * A real Slurm: scripts/slurm-local.sh installs slurm-wlm + munge when missing (root, apt), starts a
 * one-node cluster private to a temp directory, and this file runs a sweep through it (8 cells over
 * 2 axes and 2 seeds), cancels one running cell with scancel, resumes it with a second submit, checks
 * the collected table equals the same sweep run by the local executor, and stops the daemons.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hedonistIn } from './cli.ts';

const SCRIPT = new URL('../../scripts/slurm-local.sh', import.meta.url).pathname;
const REPO = new URL('../..', import.meta.url).pathname;

const tmp = mkdtempSync(join(tmpdir(), 'hedonist-slurm-test-'));
const slurmDir = join(tmp, 'cluster');
const env: NodeJS.ProcessEnv = { ...process.env, HEDONIST_SLURM_DIR: slurmDir };
const timings: Record<string, number> = {};
const run = promisify(execFile);

/** 8 tiny cells (2 lr x 2 widths x 2 seeds, CartPole REINFORCE on the CPU twins, 1-3 s each). */
const sweepFile = join(tmp, 'tiny.json');
writeFileSync(
  sweepFile,
  JSON.stringify({
    name: 'tiny',
    base: join(REPO, 'experiments/cartpole-reinforce.json'),
    set: { 'run.episodes': 800, 'run.replicas': 2, 'run.backend': 'cpu' },
    axes: [
      { name: 'lr', path: 'rule.lr', values: [0.1, 0.03] },
      { name: 'hidden', path: 'population.hidden', values: [[8], [4]] },
    ],
    seeds: [0, 1],
    checkpointEvery: 5000,
  }),
);

const hedonist = (args: string[]) => hedonistIn(tmp, args, env);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface Status {
  cells: { index: number; id: string; state: string; queue?: string }[];
}
const status = async (dir: string): Promise<Status> => JSON.parse((await hedonist(['sweep', 'status', dir, '--json'])).stdout) as Status;

describe('hedonist sweep --executor slurm on a one-node Slurm', () => {
  beforeAll(async () => {
    const t0 = performance.now();
    // Asynchronous: installing the packages on a fresh machine takes a while, and the worker must keep answering vitest.
    const conf = (await run('bash', [SCRIPT, 'start'], { env, encoding: 'utf8', timeout: 170_000 })).stdout.trim();
    timings.clusterStartSeconds = (performance.now() - t0) / 1000;
    env.SLURM_CONF = conf;
  }, 180_000);

  afterAll(async () => {
    const r = await run('bash', [SCRIPT, 'stop'], { env, encoding: 'utf8' });
    process.stderr.write(r.stderr);
    console.log(`slurm sweep test timings (s): ${JSON.stringify(timings)}`);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("runs every cell as an array task; a cell cancelled by scancel resumes from its checkpoint on the next submit; the table equals the local executor's", async () => {
    const t0 = performance.now();
    const dir = join(tmp, 'slurm-sweep');
    const first = await hedonist(['sweep', sweepFile, '--executor', 'slurm', '--dir', dir, '--json', '--time', '00:10:00', '--cpus-per-task', '1']);
    expect(first.stderr).toBe('');
    expect(first.code, first.stderr).toBe(0);
    const r1 = JSON.parse(first.stdout) as { jobId: string; ran: number[]; cells: number };
    expect(r1.cells).toBe(8);
    expect(r1.ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const script = readFileSync(join(dir, 'slurm/sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --time=00:10:00');
    expect(script).toContain('sweep run-cell');

    // Cell 0 (lr 0.1, the longest): cancel it once it has written a checkpoint, while it runs.
    const cell0 = (await status(dir)).cells[0]!;
    const cellDir = join(dir, 'cells', cell0.id);
    await until('cell 0 to checkpoint', () => (existsSync(join(cellDir, 'checkpoint.bin')) ? true : undefined));
    execFileSync('scancel', [`${r1.jobId}_0`], { env });
    // scancel's SIGTERM: the cell finishes its chunk, writes a checkpoint and a summary marked stopped.
    const cut = await until('cell 0 to leave the queue', async () => {
      const c = (await status(dir)).cells[0]!;
      return c.queue === undefined && c.state !== 'new' ? c : undefined;
    });
    expect(cut.state).toBe('cut');
    const stopped = JSON.parse(readFileSync(join(cellDir, 'summary.json'), 'utf8')) as { stopped?: boolean; signal?: string; envSteps: number };
    expect(stopped.signal).toBe('SIGTERM');
    expect(stopped.stopped).toBe(true);

    // The second submit: only what is unfinished and not still queued; --wait, then collect.
    const second = await hedonist(['sweep', sweepFile, '--executor', 'slurm', '--dir', dir, '--json', '--wait']);
    expect(second.code, second.stderr).toBe(0);
    const r2 = JSON.parse(second.stdout) as { ran: number[]; queued: number[]; alreadyDone: number; jobId: string };
    expect(r2.ran).toContain(0);
    for (const i of r2.ran) expect(r2.queued).not.toContain(i);
    const out0 = readFileSync(join(dir, 'slurm', `${r2.jobId}_0.out`), 'utf8');
    expect(out0).toMatch(/resuming at step [1-9]\d*/);
    expect(out0).toContain('resumed, done');
    expect((await status(dir)).cells.every((c) => c.state === 'done')).toBe(true);
    timings.slurmSweepSeconds = (performance.now() - t0) / 1000;

    // A third run submits nothing: every cell is done.
    const third = await hedonist(['sweep', sweepFile, '--executor', 'slurm', '--dir', dir, '--json']);
    expect(JSON.parse(third.stdout).ran).toEqual([]);

    // The same sweep on the local executor: the same table, byte for byte.
    const t1 = performance.now();
    const local = await hedonist(['sweep', sweepFile, '--executor', 'local', '--jobs', '2', '--dir', join(tmp, 'local-sweep'), '--json']);
    expect(local.code, `${local.stderr}\n${local.stdout.slice(0, 2000)}`).toBe(0);
    timings.localSweepSeconds = (performance.now() - t1) / 1000;
    const collect = await hedonist(['sweep', 'collect', dir, '--json']);
    expect(collect.code).toBe(0);
    const slurmTable = readFileSync(join(dir, 'table.csv'), 'utf8');
    const localTable = readFileSync(join(tmp, 'local-sweep', 'table.csv'), 'utf8');
    expect(slurmTable.trim().split('\n')).toHaveLength(1 + 4);
    expect(slurmTable).toContain('last100MeanOverReplicas mean');
    expect(slurmTable).toBe(localTable);
    expect(readFileSync(join(dir, 'table.md'), 'utf8')).toBe(readFileSync(join(tmp, 'local-sweep', 'table.md'), 'utf8'));
  }, 300_000);
});
