import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [join(process.cwd(), 'bin/hedonist.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

describe('chalk CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chalk-cli-'));

  it('infer-reward on a malformed spike file exits 2 with one line naming the line and the problem', () => {
    const bad = join(dir, 'bad.spk');
    writeFileSync(bad, '# chalk-spikes neurons=3 inputs=1\n0 1 0 -1\n0 1 1 +1\n0 1 x +1\n');
    const r = cli(['infer-reward', '--spikes', bad], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`hedonist: ${bad}: line 4: column 3: spike value 'x' is not binary (0 or 1)`]);
    const short = join(dir, 'short.spk');
    writeFileSync(short, '0 1 0 -1\n0 1 -1\n');
    const r2 = cli(['infer-reward', '--spikes', short], dir);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain('line 2: expected 4 columns (3 neurons + 1 input), got 3');
  }, 60_000);

  it('train chalk-counts writes a spike train that infer-reward turns back into the 2/6 targets', () => {
    const spk = join(dir, 'a.spk');
    const t = cli(['train', 'chalk-counts', '--lambda', '0.5', '--name', 'cli-counts', '--spikes-out', spk, '--spike-steps', '100000', '--json'], dir);
    expect(t.status, t.stderr).toBe(0);
    const s = JSON.parse(t.stdout);
    expect(s.modeCount).toEqual({ '-1': 2, '+1': 6 });
    expect(JSON.parse(readFileSync(join(dir, 'runs/cli-counts/summary.json'), 'utf8')).massOnTarget['-1']).toBeGreaterThan(0.8);
    const r = cli(['infer-reward', '--spikes', spk, '--lambda', '0.5', '--method', 'bellman', '--json', '--name', 'cli-infer'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).bellman.inferredTarget).toEqual({ '-1': 2, '+1': 6 });
  }, 60_000);
});
