import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, hedonist as cli } from './run-cli.ts';

/**
 * Every family on the core: a run killed with SIGKILL midway (after a checkpoint, with metrics
 * written past it) and resumed with --resume ends with the same metrics.jsonl as a straight run.
 * Each entry's budget runs a few seconds on the CPU twins, long enough to be killed midway.
 */
const FAMILIES: { name: string; preset: string; sets: string[]; every: number; killAfterLines: number }[] = [
  { name: 'reinforce (wired, Dale)', preset: 'experiments/wired-dale-cartpole.json', sets: ['run.replicas=4', 'run.episodes=600'], every: 3000, killAfterLines: 600 },
  { name: 'ott', preset: 'experiments/ott-cartpole.json', sets: ['run.replicas=4', 'run.episodes=300', 'rule.solve.stop=false'], every: 2000, killAfterLines: 300 },
  // Weight Max on LunarLander: planck worlds rebuilt from the checkpoint by replaying each episode's actions.
  { name: 'weight-max (lunar-lander, traces)', preset: 'experiments/chung-lunarlander.json', sets: ['run.replicas=2', 'run.episodes=40', 'rule.traces=true'], every: 1000, killAfterLines: 24 },
  // Weight Max on the multiplexer: one-step episodes, one metrics line per replica and step.
  { name: 'weight-max (multiplexer)', preset: 'experiments/chung-multiplexer.json', sets: ['run.replicas=2', 'run.episodes=8000'], every: 2000, killAfterLines: 5000 },
  // The million network's rule (k-major layout, sparse fan-in, SGD layers), scaled down.
  {
    name: 'weight-max-sparse (million, scaled down)',
    preset: 'experiments/chung-million.json',
    sets: ['population.hidden=[32,1024]', 'rule.fanIn=[0,8]', 'run.episodes=6000', 'run.stepsPerChunk=100'],
    every: 1500,
    killAfterLines: 2000,
  },
];

const lineCount = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

describe('kill -9 and --resume, per family', () => {
  it.each(FAMILIES)('$name: killed midway and resumed, ends with the same metrics as a straight run', async ({ preset, sets, every, killAfterLines }) => {
    const tag = preset.replace(/^experiments\/|\.json$/g, '');
    const [straightName, killedName] = [`test-resume-${tag}-straight`, `test-resume-${tag}-killed`];
    for (const n of [straightName, killedName]) rmSync(`runs/${n}`, { recursive: true, force: true });
    const args = ['run', preset, '--set', 'run.backend="cpu"', ...sets.flatMap((s) => ['--set', s])];
    const straight = await cli([...args, '--name', straightName, '--json']);
    expect(straight.code, straight.stderr).toBe(0);

    const child = spawn('node', [BIN, ...args, '--name', killedName, '--checkpoint-every', String(every)], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, s) => res(s)));
    const dir = `runs/${killedName}`;
    const t0 = Date.now();
    while (!(existsSync(`${dir}/checkpoint.bin`) && lineCount(`${dir}/metrics.jsonl`) > killAfterLines) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await exited, 'the run ended before it could be killed: make it longer').toBe('SIGKILL');

    const r = await cli(['run', '--resume', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(`${dir}/metrics.jsonl`, 'utf8')).toBe(readFileSync(`runs/${straightName}/metrics.jsonl`, 'utf8'));
  });
});
