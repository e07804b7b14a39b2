/**
 * One spelling per concept across commands (issue #15, item 5): walks every registered command's
 * flags against the concept table of src/cli/flags.ts, so a command that spells run length, seed,
 * backend, ... its own way fails here.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../../src/cli/args.ts';
import { BACKENDS, CONCEPTS, DEFAULT_SEED, RENAMED, RENAMED_WHERE_NEW } from '../../src/cli/flags.ts';
import { COMMANDS } from '../../src/cli/registry.ts';

const name = (c: (typeof COMMANDS)[number]) => c.path.join(' ');
/** The commands that train: `run`, `train <target>`, `reproduce <target>`. */
const TRAINING = COMMANDS.filter((c) => ['run', 'train', 'reproduce'].includes(c.path[0]!));

/** A command's flags (its positional arguments have no flag name). */
const flagNames = (c: (typeof COMMANDS)[number]) => Object.keys(c.flags).filter((k) => !c.flags[k]!.type.startsWith('positional'));

/** Flags named like a concept's flag but meaning another thing (checked by name below). */
const OTHER_EPISODES = ['eval-episodes', 'sparse-episodes'];
const OTHER_STEPS = ['max-steps', 'spike-steps', 'gd-steps', 'steps-per-submit'];

describe('one spelling per concept across commands', () => {
  it('the registry holds the training commands the tables are checked against', () => {
    expect(TRAINING.length).toBeGreaterThan(15);
  });

  it('no command spells a concept another way', () => {
    const bad: string[] = [];
    for (const c of COMMANDS)
      for (const flag of flagNames(c)) for (const [concept, k] of Object.entries(CONCEPTS)) if (k.not.includes(flag)) bad.push(`${name(c)} --${flag} (${concept} is --${k.flag})`);
    expect(bad).toEqual([]);
  });

  it('run length is --episodes or --steps (other *-episodes / *-steps flags are other concepts, listed here)', () => {
    const bad: string[] = [];
    for (const c of COMMANDS)
      for (const flag of flagNames(c)) {
        if (/episodes$/.test(flag) && flag !== 'episodes' && !OTHER_EPISODES.includes(flag)) bad.push(`${name(c)} --${flag}`);
        if (/(steps|iterations|iters)$/.test(flag) && flag !== 'steps' && !OTHER_STEPS.includes(flag)) bad.push(`${name(c)} --${flag}`);
      }
    expect(bad).toEqual([]);
  });

  it("a concept's flag has the same help text in every command", () => {
    const bad: string[] = [];
    for (const [concept, k] of Object.entries(CONCEPTS)) {
      if (!k.help) continue;
      for (const c of COMMANDS) {
        const spec = c.flags[k.flag];
        if (spec && spec.help !== k.help) bad.push(`${name(c)} --${k.flag} (${concept}): '${spec.help}'`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every training command takes --seed (one default) and --backend auto|webgpu|cpu', () => {
    for (const c of TRAINING) {
      const seed = c.flags.seed;
      if (c.path[0] !== 'run') expect(seed && 'default' in seed ? seed.default : undefined, `${name(c)} --seed`).toBe(DEFAULT_SEED);
      const backend = c.flags.backend;
      expect(backend?.type === 'choice' ? backend.choices : undefined, `${name(c)} --backend`).toEqual(BACKENDS);
    }
  });

  it('no command keeps an old spelling; each is refused with one line naming the new flag', () => {
    let checked = 0;
    for (const [old, now] of Object.entries(RENAMED)) {
      for (const c of COMMANDS) {
        expect(c.flags[old], `${name(c)} --${old}`).toBeUndefined();
        if (!c.flags[now]) continue;
        checked++;
        expect(() => parseFlags([`--${old}`, '5'], c.flags, name(c), RENAMED)).toThrow(new UsageError(`--${old} was renamed --${now}`));
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('an old spelling another concept keeps (--workers: threads of one run) is refused, naming the new flag, where the new flag is', () => {
    let refused = 0,
      kept = 0;
    for (const [old, now] of Object.entries(RENAMED_WHERE_NEW)) {
      for (const c of COMMANDS) {
        if (c.flags[now]) {
          expect(c.flags[old], `${name(c)} has --${now} and --${old}`).toBeUndefined();
          expect(() => parseFlags([`--${old}`, '2'], c.flags, name(c), RENAMED_WHERE_NEW)).toThrow(new UsageError(`--${old} was renamed --${now}`));
          refused++;
        } else if (c.flags[old]) {
          expect(parseFlags([`--${old}`, '2'], c.flags, name(c), RENAMED_WHERE_NEW)[old], name(c)).toBe(2);
          kept++;
        }
      }
    }
    // the sweep command and the reproduce commands run as sweeps; run and the train commands keep --workers.
    expect(COMMANDS.filter((c) => c.flags.jobs).map(name)).toContain('sweep');
    expect(refused).toBeGreaterThan(4);
    expect(kept).toBeGreaterThan(4);
    expect(COMMANDS.find((c) => name(c) === 'run')?.flags.workers).toBeDefined();
  });

  it("hedonist run takes --seed, --episodes and --replicas with no default of their own (the file's run.* fields)", () => {
    const run = COMMANDS.find((c) => name(c) === 'run')!;
    for (const k of ['seed', 'episodes', 'replicas', 'backend']) {
      expect(run.flags[k], `run --${k}`).toBeDefined();
      expect('default' in run.flags[k]! ? run.flags[k]!.default : undefined, `run --${k}`).toBeUndefined();
    }
  });
});
