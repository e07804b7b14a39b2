import { readFileSync } from 'node:fs';
import type { GpuContext } from '../gpu/context.ts';
import { ConfigError } from '../config/validate.ts';
import { flagHelp, parseFlags, UsageError, type Flags } from './args.ts';
import { OVERWRITE_FLAG, RENAMED, RENAMED_WHERE_NEW } from './flags.ts';
import type { CliCommand, CliIO } from './command.ts';
import { makeProgress } from './progress.ts';
import { COMMANDS } from './registry.ts';
import { defaultRunName, RunDir } from './run-dir.ts';
import { reportRunDir } from './run-report.ts';

function usage(): string {
  const groups = COMMANDS.map((c) => `  hedonist ${c.path.join(' ').padEnd(32)} ${c.summary}`);
  return ['usage: hedonist <command> [--flags]    (hedonist <command> --help for its flags; hedonist --version)', '', ...groups].join('\n');
}

/** The package's version (package.json sits two levels above src/cli/ and dist/cli/ alike). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** `hedonist train --help`: the targets of a command group, one line each. */
function groupUsage(group: string): string {
  const targets = COMMANDS.filter((c) => c.path[0] === group && c.path.length > 1);
  const width = Math.max(...targets.map((c) => c.path.slice(1).join(' ').length));
  return [
    `usage: hedonist ${group} <target> [--flags]    (hedonist ${group} <target> --help for its flags and their defaults)`,
    '',
    'targets:',
    ...targets.map((c) => `  ${c.path.slice(1).join(' ').padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** Every command that names a run (--name) can also replace one (--overwrite); reusing a name is refused otherwise. */
function flagsOf(cmd: CliCommand): Flags {
  return cmd.flags.name && !cmd.flags.overwrite ? { ...cmd.flags, overwrite: OVERWRITE_FLAG } : cmd.flags;
}

function findCommand(argv: string[]): { cmd: CliCommand; rest: string[] } | undefined {
  let best: CliCommand | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { cmd: best, rest: argv.slice(best.path.length) } : undefined;
}

export async function main(argv: string[]): Promise<number> {
  if (!argv.length || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    process.stdout.write(usage() + '\n');
    return argv.length ? 0 : 2;
  }
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    process.stdout.write(`hedonist ${version()}\n`);
    return 0;
  }
  // A group (train, reproduce) without its target: --help lists the targets; else one line, exit 2.
  const group = COMMANDS.filter((c) => c.path[0] === argv[0] && c.path.length > 1);
  if (group.length && !COMMANDS.some((c) => c.path.length === 1 && c.path[0] === argv[0]) && (argv.length === 1 || argv[1]!.startsWith('-'))) {
    if (argv[1] === '--help' || argv[1] === '-h') {
      process.stdout.write(groupUsage(argv[0]!) + '\n');
      return 0;
    }
    process.stderr.write(`hedonist: ${argv[0]} needs a target (allowed: ${group.map((c) => c.path.slice(1).join(' ')).join(', ')}; hedonist ${argv[0]} --help describes them)\n`);
    return 2;
  }
  let ctx: GpuContext | undefined;
  try {
    const found = findCommand(argv);
    if (!found) {
      const prefix = COMMANDS.filter((c) => c.path[0] === argv[0]);
      if (prefix.length) {
        throw new UsageError(`unknown ${argv[0]} target '${argv[1] ?? ''}' (allowed: ${prefix.map((c) => c.path.slice(1).join(' ')).join(', ')})`);
      }
      throw new UsageError(`unknown command '${argv[0]}' (allowed: ${[...new Set(COMMANDS.map((c) => c.path[0]))].join(', ')})`);
    }
    const { cmd, rest } = found;
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`hedonist ${cmd.path.join(' ')}: ${cmd.summary}\n\n${flagHelp(flagsOf(cmd))}\n`);
      return 0;
    }
    const flags = parseFlags(rest, flagsOf(cmd), `hedonist ${cmd.path.join(' ')}`, { ...RENAMED, ...RENAMED_WHERE_NEW });
    const json = Boolean(flags.json);
    const opened: string[] = [];
    const io: CliIO = {
      json,
      progress: (label, unit) => makeProgress(label, undefined, unit),
      runDir: (preset, name, append) => {
        const dir = new RunDir(name ?? defaultRunName(preset), 'runs', { append, refuseExisting: true, overwrite: Boolean(flags.overwrite) });
        opened.push(dir.path);
        return dir;
      },
      async gpu() {
        if (!ctx) {
          const { createNodeGpu } = await import('../gpu/node.ts');
          ctx = await createNodeGpu({ debug: process.env.HEDONIST_DEBUG === '1' });
        }
        return ctx;
      },
      log: (line) => process.stderr.write(line + '\n'),
    };
    let result: object | undefined;
    try {
      result = await cmd.run(flags, io);
    } finally {
      // Every run directory a command opened ends with its pictures (`hedonist run` draws its own).
      for (const d of opened) {
        const written = await reportRunDir(d, io, cmd.pictures, result, result === undefined);
        if (written.length) io.log(`pictures: ${written.join(', ')}`);
      }
    }
    process.stdout.write((json ? JSON.stringify(result) : cmd.format(result as Record<string, unknown>)) + '\n');
    // A run stopped by a signal still prints its summary, then exits 130 (SIGINT) / 143 (SIGTERM).
    const exit = (result as { exitCode?: unknown }).exitCode;
    return typeof exit === 'number' ? exit : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`hedonist: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`hedonist: ${e instanceof Error ? (process.env.HEDONIST_DEBUG === '1' ? e.stack : e.message) : String(e)}\n`);
    return 1;
  } finally {
    ctx?.destroy();
  }
}

const code = await main(process.argv.slice(2));
// Dawn's instance keeps the event loop alive; leave explicitly once output is flushed.
process.stdout.write('', () => process.exit(code));
