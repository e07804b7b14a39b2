import { readFileSync } from 'node:fs';
/**
 * A small declarative flag parser: every command lists its flags with their type and range, so a
 * bad flag or value fails with one line naming the flag and what is allowed (exit code 2).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Reads a file the command line (or an experiment file) names: its text, or its bytes with
 * `binary`; a failed read throws `error(reason)`, the reason being the errno code (else the message).
 */
export function readNamedFile(file: string, error: (reason: string) => Error): string;
export function readNamedFile(file: string, error: (reason: string) => Error, binary: true): Uint8Array;
export function readNamedFile(file: string, error: (reason: string) => Error, binary = false): string | Uint8Array {
  try {
    return binary ? readFileSync(file) : readFileSync(file, 'utf8');
  } catch (e) {
    throw error((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

/** `defaultText`: what --help says the default is when no one value is (e.g. "the paper's per task"). */
export type FlagSpec =
  | { type: 'int'; min: number; max: number; default?: number; defaultText?: string; help: string }
  | { type: 'number'; min: number; max: number; default?: number; defaultText?: string; help: string }
  | { type: 'choice'; choices: readonly string[]; default?: string; defaultText?: string; help: string }
  | { type: 'string'; default?: string; defaultText?: string; help: string }
  | { type: 'bool'; help: string }
  | { type: 'int-list'; min: number; max: number; default?: number[]; help: string }
  | { type: 'choice-list'; choices: readonly string[]; default?: string[]; help: string }
  /** May be given many times; the values collect in order. */
  | { type: 'repeat'; help: string }
  /** The command's one positional argument (e.g. the experiment file); at most one per command. */
  | { type: 'positional'; help: string }
  /** Every positional argument, in order (e.g. the run directories to overlay); instead of 'positional'. */
  | { type: 'positionals'; help: string };

export type Flags = Record<string, FlagSpec>;
export type Parsed = Record<string, number | string | boolean | number[] | string[] | undefined>;

function allowed(spec: FlagSpec): string {
  switch (spec.type) {
    case 'int':
      return `an integer in [${spec.min}, ${spec.max}]`;
    case 'number':
      return `a number in [${spec.min}, ${spec.max}]`;
    case 'choice':
      return `one of ${spec.choices.join('|')}`;
    case 'string':
      return 'a value';
    case 'bool':
      return 'no value';
    case 'int-list':
      return `a comma-separated list of integers in [${spec.min}, ${spec.max}]`;
    case 'choice-list':
      return `a comma-separated list of ${spec.choices.join('|')}`;
    case 'repeat':
      return 'a value (repeatable)';
    case 'positional':
      return 'a value';
    case 'positionals':
      return 'values';
  }
}

/** A list flag's items: none may be empty (`1,,2`, ` ,`) or given twice. */
function listItems(flag: string, spec: FlagSpec, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} must be ${allowed(spec)} with no empty items, got '${raw}'`);
  const twice = items.find((s, i) => items.indexOf(s) !== i);
  if (twice !== undefined) throw new UsageError(`--${flag} lists '${twice}' twice, got '${raw}'`);
  return items;
}

function convert(flag: string, spec: FlagSpec, raw: string): Parsed[string] {
  const bad = () => new UsageError(`--${flag} must be ${allowed(spec)}, got '${raw}'`);
  switch (spec.type) {
    case 'int': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(v) || v < spec.min || v > spec.max) throw bad();
      return v;
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v) || v < spec.min || v > spec.max) throw bad();
      return v;
    }
    case 'choice':
      if (!spec.choices.includes(raw)) throw bad();
      return raw;
    case 'string':
      if (raw === '') throw bad();
      return raw;
    case 'bool':
    case 'positional':
    case 'positionals':
      throw bad();
    case 'repeat':
      if (raw === '') throw bad();
      return raw;
    case 'int-list': {
      const vs = listItems(flag, spec, raw).map(Number);
      if (vs.some((v) => !Number.isInteger(v) || v < spec.min || v > spec.max)) throw bad();
      return vs;
    }
    case 'choice-list': {
      const vs = listItems(flag, spec, raw);
      if (vs.some((v) => !spec.choices.includes(v))) throw bad();
      return vs;
    }
  }
}

const GIVEN = Symbol('given flags');

/** The flags the user typed (not filled in from defaults), for commands whose meaning depends on it. */
export function givenFlags(p: Parsed): ReadonlySet<string> {
  return (p as { [GIVEN]?: Set<string> })[GIVEN] ?? new Set();
}

/**
 * Parse `--flag value`, `--flag=value` and boolean `--flag`; positional arguments are rejected.
 * `renamed` maps old flag names to new ones: an old name the command no longer has is refused with
 * one line naming the new flag.
 */
export function parseFlags(argv: string[], flags: Flags, command: string, renamed: Record<string, string> = {}): Parsed {
  const out: Parsed = {};
  const given = new Set<string>();
  Object.defineProperty(out, GIVEN, { value: given, enumerable: false });
  for (const [k, s] of Object.entries(flags)) if ('default' in s && s.default !== undefined) out[k] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      const many = Object.entries(flags).find(([, sp]) => sp.type === 'positionals');
      if (many) {
        out[many[0]] = [...((out[many[0]] as string[] | undefined) ?? []), a];
        given.add(many[0]);
        continue;
      }
      const pos = Object.entries(flags).find(([k, sp]) => sp.type === 'positional' && out[k] === undefined);
      if (!pos) throw new UsageError(`${command}: unexpected argument '${a}' (flags start with --; see --help)`);
      out[pos[0]] = a;
      given.add(pos[0]);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = flags[name];
    if (!spec || spec.type === 'positional' || spec.type === 'positionals') {
      const now = renamed[name];
      if (now !== undefined && flags[now]) throw new UsageError(`--${name} was renamed --${now}`);
      const known = Object.keys(flags)
        .filter((k) => !flags[k]!.type.startsWith('positional'))
        .map((k) => `--${k}`)
        .join(', ');
      throw new UsageError(`${command}: unknown flag --${name} (allowed: ${known || 'none'})`);
    }
    if (given.has(name) && spec.type !== 'repeat') throw new UsageError(`--${name} is given twice (give each flag once)`);
    given.add(name);
    if (spec.type === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) throw new UsageError(`--${name} needs a value: ${allowed(spec)}`);
      raw = argv[++i]!;
    }
    const v = convert(name, spec, raw);
    if (spec.type === 'repeat') out[name] = [...((out[name] as string[] | undefined) ?? []), v as string];
    else out[name] = v;
  }
  return out;
}

/** What `--help` says of a flag's default: its value, off for a switch, or that it is optional. */
function defaultHelp(s: FlagSpec): string {
  if ('default' in s && s.default !== undefined) return ` (default ${Array.isArray(s.default) ? s.default.join(',') : s.default})`;
  if ('defaultText' in s && s.defaultText) return ` (default: ${s.defaultText})`;
  if (s.type === 'bool') return ' (default off)';
  if (/\bdefault\b/.test(s.help)) return '';
  return s.type === 'positional' ? '' : ' (default: not set)';
}

/** Every flag of a command with what it takes, what it does and its default (`--help`). */
export function flagHelp(flags: Flags): string {
  return Object.entries(flags)
    .map(
      ([k, s]) =>
        `  ${s.type === 'positional' ? k.toUpperCase() : s.type === 'positionals' ? `${k.toUpperCase()}...` : `--${k}`}${s.type === 'bool' || s.type.startsWith('positional') ? '' : ' <' + allowed(s) + '>'}\n      ${s.help}${defaultHelp(s)}`,
    )
    .join('\n');
}

/**
 * Refuse a flag the chosen options make meaningless (instead of ignoring it): `--flag` was given
 * but `applies` is false; `why` says when it applies, e.g. "applies only with --traces".
 */
export function refuseUnless(p: Parsed, flag: string, applies: boolean, why: string): void {
  if (!applies && givenFlags(p).has(flag)) throw new UsageError(`--${flag} ${why}`);
}
