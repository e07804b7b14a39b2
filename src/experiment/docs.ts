import { z } from 'zod';
import { ExperimentSchema } from './schema.ts';

/** The part of JSON Schema the experiment schema uses (the docs and the playground's form read it). */
export type Js = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxItems?: number;
  pattern?: string;
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  oneOf?: Js[];
  anyOf?: Js[];
};

/** The experiment file's JSON Schema (input side: defaults optional), for editors and `hedonist schema --json`. */
export function experimentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ExperimentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function allowed(s: Js): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const t = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  if (t === 'integer' || t === 'number') {
    const lo = s.exclusiveMinimum !== undefined ? `(${s.exclusiveMinimum}` : s.minimum !== undefined ? `[${s.minimum}` : '(-inf';
    const hi = s.exclusiveMaximum !== undefined ? `${s.exclusiveMaximum})` : s.maximum !== undefined ? `${s.maximum}]` : 'inf)';
    return `${t} in ${lo}, ${hi}`;
  }
  if (t === 'array' && s.items) return `list of ${s.items.properties || s.items.oneOf ? 'objects (below)' : allowed(s.items)}${s.maxItems !== undefined ? `, at most ${s.maxItems}` : ''}`;
  if (s.pattern) return `${t} matching \`${s.pattern}\``;
  return t;
}

function rows(s: Js, path: string, out: string[], sections: [string, Js][]): void {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const p = path ? `${path}.${k}` : k;
    const req = s.required?.includes(k) && v.default === undefined ? ' (required)' : '';
    const variants = v.oneOf ?? v.anyOf ?? v.items?.oneOf;
    out.push(`| \`${p}\`${req} | ${variants ? 'one of the forms below' : allowed(v)} | ${v.default === undefined ? '' : `\`${JSON.stringify(v.default)}\``} | ${v.description ?? ''} |`);
    if (variants) sections.push([p + (v.items ? '[i]' : ''), v.items ?? v]);
    else if (v.properties) rows(v, p, out, sections);
    else if (v.items?.properties) rows(v.items, `${p}[i]`, out, sections);
  }
}

/** docs/experiment.md: every field of the experiment file, generated from the one schema. */
export function experimentDocs(): string {
  const root = experimentJsonSchema() as Js;
  const head = ['| field | allowed | default | meaning |', '|---|---|---|---|'];
  const sections: [string, Js][] = [];
  const main: string[] = [...head];
  rows(root, '', main, sections);
  const parts = [
    '# Experiment files',
    '',
    'Generated from `ExperimentSchema` (src/experiment/schema.ts) by `hedonist schema > docs/experiment.md`;',
    'a test keeps it current. `hedonist schema --json` prints the JSON Schema (also in',
    '`experiments/experiment.schema.json`, for editors). Presets live in `experiments/`; run one with',
    '`hedonist run FILE`, override any field with `--set path=value` (a JSON value, `null` removes the field: `--set run.replicas=4`,',
    '`--set population.hidden=[16,16]`, `--set \'run.backend="cpu"\'`). A bad field fails with one line that',
    'names its path and what is allowed (exit 2).',
    '',
    ...main,
  ];
  for (const [path, s] of sections) {
    const variants = s.oneOf ?? s.anyOf ?? [];
    for (const v of variants) {
      const tag = Object.entries(v.properties ?? {}).find(([, p]) => p.const !== undefined);
      parts.push('', `## \`${path}\`${tag ? ` with \`${tag[0]}: ${JSON.stringify(tag[1].const)}\`` : ''}`, '');
      if (tag?.[1].description) parts.push(tag[1].description, '');
      const body: string[] = [...head];
      rows(v, path, body, sections);
      parts.push(...body);
    }
  }
  return parts.join('\n') + '\n';
}
