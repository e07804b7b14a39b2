import type { z } from 'zod';
import { ConfigError } from '../config/validate.ts';
import { ExperimentSchema, type Experiment } from './schema.ts';

/** `a.b[2].c` / `a.b.2.c` -> ['a', 'b', 2, 'c'] */
function splitPath(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

/** A `--set` value: JSON when it parses (numbers, booleans, arrays, quoted strings), else the raw string. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Apply `path=value` overrides to a plain experiment object (a copy is returned). Paths are dotted
 * (`run.replicas=4`, `population.hidden=[16,16]`, `population.hidden.0=32`); `path=null` removes
 * the field, so its default applies.
 */
export function applySets(input: unknown, sets: readonly string[]): unknown {
  const root = structuredClone(input ?? {}) as Record<string | number, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new ConfigError('--set', `--set must be path=value (e.g. run.replicas=4), got '${s}'`);
    const keys = splitPath(s.slice(0, eq));
    let obj = root;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) {
        const v = parseValue(s.slice(eq + 1));
        // `null` removes the field: its default applies (or it is absent, e.g. rule.terms=null).
        if (v === null && !Array.isArray(obj)) delete obj[k];
        else obj[k] = v;
      } else {
        const next = obj[k];
        if (next === undefined || next === null) obj[k] = typeof keys[i + 1] === 'number' ? [] : {};
        else if (typeof next !== 'object') throw new ConfigError('--set', `--set ${s}: '${keys.slice(0, i + 1).join('.')}' is a ${typeof next}, not an object`);
        obj = obj[k] as Record<string | number, unknown>;
      }
    });
  }
  return root;
}

export function describeIssue(issue: z.core.$ZodIssue): ConfigError {
  const path = issue.path.map(String).join('.') || '(experiment)';
  if (issue.code === 'unrecognized_keys') {
    return new ConfigError(path, `${path === '(experiment)' ? 'experiment' : path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`);
  }
  const got = 'input' in issue ? issue.input : undefined;
  if (got === undefined && issue.code === 'invalid_type') return new ConfigError(path, `${path} is required`);
  // A discriminated union reports the whole object at the discriminator's path: show the field.
  const last = issue.path[issue.path.length - 1];
  const value = issue.code === 'invalid_union' && got && typeof got === 'object' && last !== undefined ? (got as Record<PropertyKey, unknown>)[last] : got;
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  const message = issue.code === 'invalid_type' && issue.message.startsWith('Invalid input') ? `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}` : issue.message;
  return new ConfigError(path, `${path} ${message}, got ${shown}`);
}

/** Validate a plain object as an experiment (defaults filled); throws ConfigError naming the first bad field. */
export function parseExperiment(input: unknown, sets: readonly string[] = []): Experiment {
  const withSets = sets.length ? applySets(input, sets) : input;
  const r = ExperimentSchema.safeParse(withSets, { reportInput: true });
  if (!r.success) throw describeIssue(r.error.issues[0]!);
  return r.data;
}

/** Every problem of a plain object as an experiment, each naming its field (the playground shows them beside the fields). */
export function experimentIssues(input: unknown): ConfigError[] {
  const r = ExperimentSchema.safeParse(input, { reportInput: true });
  return r.success ? [] : r.error.issues.map(describeIssue);
}

/** Parse experiment JSON text; `source` names the file in errors. */
export function parseExperimentText(text: string, source: string, sets: readonly string[] = []): Experiment {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(source, `${source} is not valid JSON (${(e as Error).message})`);
  }
  return parseExperiment(raw, sets);
}
