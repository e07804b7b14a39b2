import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flagHelp } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/registry.ts';
import { hedonist } from './run-cli.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('hedonist --help / --version', () => {
  it('--version prints the package version', async () => {
    const r = await hedonist(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`hedonist ${version}\n`);
  });

  it.each(['train', 'reproduce'])('%s --help lists every target with its one-line description', async (group) => {
    const r = await hedonist([group, '--help']);
    expect(r.code).toBe(0);
    const targets = COMMANDS.filter((c) => c.path[0] === group && c.path.length > 1);
    expect(targets.length).toBeGreaterThan(2);
    for (const c of targets) expect(r.stdout).toMatch(new RegExp(`^  ${c.path.slice(1).join(' ')} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))('%s --help gives every flag its default', (_name, c) => {
    const lines = flagHelp(c.flags).split('\n');
    // Pairs of lines: the flag, then what it does and its default.
    for (let i = 0; i < lines.length; i += 2) {
      if (/^ {2}[A-Z]+$/.test(lines[i]!)) continue; // the positional argument
      expect(lines[i + 1], lines[i]).toMatch(/default/);
    }
  });
});
