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

/** A field that takes one of several forms: the plain ones named, the objects' fields in sections below. */
function forms(variants: Js[]): string {
  const objects = variants.filter((v) => v.properties).length;
  const plain = variants.filter((v) => !v.properties).map(allowed);
  return [...plain, ...(objects ? [objects > 1 ? 'one of the forms below' : 'the form below'] : [])].join(', or ');
}

function rows(s: Js, path: string, out: string[], sections: [string, Js][]): void {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const p = path ? `${path}.${k}` : k;
    const req = s.required?.includes(k) && v.default === undefined ? ' (required)' : '';
    const variants = v.oneOf ?? v.anyOf ?? v.items?.oneOf ?? v.items?.anyOf;
    out.push(`| \`${p}\`${req} | ${variants ? forms(variants) : allowed(v)} | ${v.default === undefined ? '' : `\`${JSON.stringify(v.default)}\``} | ${v.description ?? ''} |`);
    if (variants) sections.push([p + (v.items ? '[i]' : ''), v.items ?? v]);
    else if (v.properties) rows(v, p, out, sections);
    else if (v.items?.properties) rows(v.items, `${p}[i]`, out, sections);
  }
}

/**
 * A JSON Schema's fields as markdown: one table of the top-level fields (nested objects flattened
 * into dotted paths), then a section per field that takes one of several forms.
 */
export function fieldTables(root: Js): string[] {
  const head = ['| field | allowed | default | meaning |', '|---|---|---|---|'];
  const sections: [string, Js][] = [];
  const main: string[] = [...head];
  rows(root, '', main, sections);
  const parts = [...main];
  for (const [path, s] of sections) {
    const variants = s.oneOf ?? s.anyOf ?? [];
    for (const v of variants) {
      if (!v.properties) continue; // a plain form (a string, an enum): named in the field's row
      const tag = Object.entries(v.properties).find(([, p]) => p.const !== undefined);
      parts.push('', `## \`${path}\`${tag ? ` with \`${tag[0]}: ${JSON.stringify(tag[1].const)}\`` : ''}`, '');
      if (tag?.[1].description) parts.push(tag[1].description, '');
      const body: string[] = [...head];
      rows(v, path, body, sections);
      parts.push(...body);
    }
  }
  return parts;
}

/** docs/experiment.md: every field of the experiment file, generated from the one schema. */
export function experimentDocs(): string {
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
    ...fieldTables(experimentJsonSchema() as Js),
  ];
  return parts.join('\n') + '\n';
}
