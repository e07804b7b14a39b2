import { describeIssue } from '../../src/experiment/load.ts';
import { experimentJsonSchema } from '../../src/experiment/docs.ts';
import { ExperimentSchema } from '../../src/experiment/schema.ts';

/**
 * The experiment as a form, generated from the experiment schema (its JSON Schema, made from the
 * zod schema by experimentJsonSchema, the same one `hedonist schema` prints) and walked together
 * with the current value: objects become fieldsets, a discriminated union (rule, wiring kind, a
 * task) a select that re-renders its branch, optional objects a checkbox, enums and booleans
 * selects, numbers and strings text inputs, lists of numbers "a, b, c", anything else JSON. Every
 * edit re-validates the whole value with ExperimentSchema (zod) and shows each issue beside the
 * deepest field on its path, in the CLI's words (describeIssue).
 */

/** The subset of JSON Schema that z.toJSONSchema writes for the experiment. */
interface Js {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  oneOf?: Js[];
  anyOf?: Js[];
}

type Key = string | number;
type Obj = Record<Key, unknown>;

const getAt = (root: unknown, path: readonly Key[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Obj)[k] : undefined), root);

/** Set (or, with undefined, delete) the value at a path, creating the objects on the way. */
function setAt(root: Obj, path: readonly Key[], v: unknown): void {
  let o = root;
  for (const k of path.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Obj;
  }
  const last = path[path.length - 1]!;
  if (v === undefined) delete o[last];
  else o[last] = v;
}

const typeOf = (s: Js): string | undefined => (Array.isArray(s.type) ? s.type[0] : s.type);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A typed cell: numbers when they read as numbers, else the raw text (zod then names what is allowed). */
const parseScalar = (raw: string, numeric: boolean): unknown => (numeric && NUMBER.test(raw) ? Number(raw) : raw);

/** The property of every variant that is a constant (rule.name, wiring kind, task kind / name). */
function discriminator(variants: Js[]): string | undefined {
  const first = variants[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((k) => variants.every((v) => v.properties?.[k]?.const !== undefined));
}

export interface FieldIssue {
  /** The dotted path of the field the message sits beside. */
  field: string;
  message: string;
}

export class ExperimentForm {
  private doc: Obj = {};
  private readonly schema = experimentJsonSchema() as Js;
  /** Error slots by dotted path ('' is the form itself). */
  private readonly slots = new Map<string, HTMLElement>();
  /** Inputs by dotted path. */
  private readonly inputs = new Map<string, HTMLElement>();
  /** Text that could not be read at all (bad JSON), by dotted path. */
  private readonly unreadable = new Map<string, string>();
  private issues: FieldIssue[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly onChange: (issues: readonly FieldIssue[]) => void = () => {},
  ) {}

  /** The experiment as the form holds it (an input document: defaults left out). */
  value(): unknown {
    return structuredClone(this.doc);
  }

  load(doc: unknown): void {
    this.doc = structuredClone((doc ?? {}) as Obj);
    this.unreadable.clear();
    this.render();
  }

  /** The issues shown now (empty: the experiment is valid). */
  currentIssues(): readonly FieldIssue[] {
    return this.issues;
  }

  private render(): void {
    this.slots.clear();
    this.inputs.clear();
    const top = document.createElement('div');
    top.className = 'schema-form';
    top.append(this.slot(''));
    this.properties(this.schema, [], top);
    this.root.replaceChildren(top);
    this.validate();
  }

  private slot(field: string): HTMLElement {
    const e = document.createElement('span');
    e.className = 'field-error';
    e.dataset.errorFor = field;
    this.slots.set(field, e);
    return e;
  }

  private properties(s: Js, path: Key[], parent: HTMLElement, skip?: string): void {
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (k === '$schema' || k === skip) continue;
      this.field(k, sub, [...path, k], s.required?.includes(k) ?? false, parent);
    }
  }

  private field(label: string, s: Js, path: Key[], required: boolean, parent: HTMLElement): void {
    const field = path.join('.');
    const value = getAt(this.doc, path);
    const variants = s.oneOf ?? s.anyOf;
    const tag = variants && discriminator(variants);
    if (variants && tag) return this.union(label, s, variants, tag, path, required, parent);
    if (typeOf(s) === 'object' && s.properties) {
      const box = this.fieldset(label, s, field, parent);
      // An optional object without a default: a checkbox puts it in or takes it out.
      if (!required && s.default === undefined) {
        const on = document.createElement('input');
        on.type = 'checkbox';
        on.checked = value !== undefined;
        on.dataset.path = field;
        on.title = `include ${field}`;
        box.querySelector('legend')!.prepend(on);
        on.addEventListener('change', () => {
          setAt(this.doc, path, on.checked ? {} : undefined);
          this.render();
        });
        if (value === undefined) return;
      }
      this.properties(s, path, box);
      return;
    }
    this.leaf(label, s, path, required, parent);
  }

  private fieldset(label: string, s: Js, field: string, parent: HTMLElement): HTMLFieldSetElement {
    const box = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = label;
    if (s.description) legend.title = s.description;
    box.append(legend, this.slot(field));
    parent.append(box);
    return box;
  }

  private union(label: string, s: Js, variants: Js[], tag: string, path: Key[], required: boolean, parent: HTMLElement): void {
    const field = path.join('.');
    const value = getAt(this.doc, path) as Obj | undefined;
    const box = this.fieldset(label, s, field, parent);
    const sel = document.createElement('select');
    sel.dataset.path = `${field}.${tag}`;
    const names = variants.map((v) => String(v.properties![tag]!.const));
    if (!required || value === undefined) sel.append(new Option(s.default !== undefined ? '(default)' : '(none)', ''));
    for (const [i, n] of names.entries()) {
      const o = new Option(n, n);
      o.title = variants[i]!.properties![tag]!.description ?? '';
      sel.append(o);
    }
    const current = value && typeof value === 'object' ? String(value[tag] ?? '') : '';
    sel.value = names.includes(current) ? current : '';
    const row = document.createElement('label');
    row.className = 'field';
    row.append(`${tag} `, sel, this.slot(`${field}.${tag}`));
    box.append(row);
    this.inputs.set(`${field}.${tag}`, sel);
    sel.addEventListener('change', () => {
      setAt(this.doc, path, sel.value ? { [tag]: sel.value } : undefined);
      this.render();
    });
    const branch = variants[names.indexOf(current)];
    if (branch) this.properties(branch, path, box, tag);
  }

  private leaf(label: string, s: Js, path: Key[], required: boolean, parent: HTMLElement): void {
    const field = path.join('.');
    const value = getAt(this.doc, path);
    const t = typeOf(s);
    const row = document.createElement('label');
    row.className = 'field';
    const name = document.createElement('span');
    name.className = 'field-name';
    name.textContent = required && s.default === undefined ? `${label} *` : label;
    if (s.description) row.title = s.description;
    let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    let read: () => unknown;
    const choices = s.enum ?? (t === 'boolean' ? [true, false] : undefined);
    if (choices) {
      const sel = document.createElement('select');
      sel.append(new Option(s.default !== undefined ? `(default ${JSON.stringify(s.default)})` : '(none)', ''));
      for (const c of choices) sel.append(new Option(String(c), JSON.stringify(c)));
      sel.value = value === undefined ? '' : JSON.stringify(value);
      read = () => (sel.value === '' ? undefined : JSON.parse(sel.value));
      control = sel;
    } else if (t === 'array' && s.items && ['number', 'integer', 'string'].includes(typeOf(s.items) ?? '') && !s.items.oneOf) {
      const inp = document.createElement('input');
      const numeric = typeOf(s.items) !== 'string';
      inp.value = Array.isArray(value) ? value.join(', ') : value === undefined ? '' : JSON.stringify(value);
      read = () => {
        const raw = inp.value
          .trim()
          .replace(/^\[|\]$/g, '')
          .trim();
        return raw === '' ? (inp.value.trim() === '[]' ? [] : undefined) : raw.split(',').map((x) => parseScalar(x.trim(), numeric));
      };
      control = inp;
    } else if (t === 'number' || t === 'integer' || (t === 'string' && label !== 'description' && label !== 'edges')) {
      const inp = document.createElement('input');
      inp.value = value === undefined ? '' : String(value);
      const numeric = t !== 'string';
      read = () => (inp.value.trim() === '' ? undefined : parseScalar(inp.value.trim(), numeric));
      control = inp;
    } else {
      // Lists of objects (wiring), tables, free text: JSON, or the text itself for free text.
      const area = document.createElement('textarea');
      const text = t === 'string';
      area.rows = text ? 2 : 3;
      area.value = value === undefined ? '' : text && typeof value === 'string' ? value : JSON.stringify(value, null, 1);
      read = () => {
        const raw = area.value.trim();
        this.unreadable.delete(field);
        if (raw === '') return undefined;
        if (text) return area.value;
        try {
          return JSON.parse(raw);
        } catch (e) {
          this.unreadable.set(field, `${field} is not valid JSON (${(e as Error).message})`);
          return getAt(this.doc, path);
        }
      };
      control = area;
    }
    if (s.default !== undefined && 'placeholder' in control) control.placeholder = `default ${Array.isArray(s.default) ? s.default.join(', ') : String(s.default)}`;
    control.dataset.path = field;
    control.name = field;
    this.inputs.set(field, control);
    control.addEventListener(control instanceof HTMLSelectElement ? 'change' : 'input', () => {
      setAt(this.doc, path, read());
      this.validate();
    });
    row.append(name, control, this.slot(field));
    parent.append(row);
  }

  /** Validate the whole document with the schema and put each message beside its field. */
  validate(): readonly FieldIssue[] {
    for (const e of this.slots.values()) e.textContent = '';
    for (const i of this.inputs.values()) i.removeAttribute('aria-invalid');
    const issues: FieldIssue[] = [...this.unreadable].map(([field, message]) => ({ field, message }));
    const r = ExperimentSchema.safeParse(this.doc, { reportInput: true });
    if (!r.success) {
      for (const issue of r.error.issues) {
        const e = describeIssue(issue);
        if (!issues.some((x) => x.field === e.field)) issues.push({ field: e.field === '(experiment)' ? '' : e.field, message: e.message });
      }
    }
    for (const i of issues) {
      // The deepest rendered field on the issue's path (a list item's issue sits beside the list).
      const parts = i.field ? i.field.split('.') : [];
      let at = parts.length;
      while (at > 0 && !this.slots.has(parts.slice(0, at).join('.'))) at--;
      const key = parts.slice(0, at).join('.');
      i.field = key;
      const slot = this.slots.get(key)!;
      slot.textContent = slot.textContent ? `${slot.textContent}; ${i.message}` : i.message;
      this.inputs.get(key)?.setAttribute('aria-invalid', 'true');
    }
    this.issues = issues;
    this.onChange(issues);
    return issues;
  }
}
