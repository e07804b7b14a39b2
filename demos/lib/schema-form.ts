import type { Js } from '../../src/experiment/docs.ts';

/**
 * A form generated from a JSON Schema (the experiment schema, from zod's toJSONSchema): objects
 * become fieldsets, enums and discriminated unions (`oneOf` branches told apart by a `const`
 * `name`) selects, numbers / integers / strings text inputs, booleans a default / true / false
 * select, arrays and anything else JSON text. An empty field is left out of the value, so the
 * schema's default applies (shown as the placeholder). `showIssues` puts messages beside the
 * fields they name (dotted paths, e.g. `run.replicas`).
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function getAt(root: Obj, path: string[]): unknown {
  let v: unknown = root;
  for (const k of path) v = isObj(v) ? v[k] : undefined;
  return v;
}

function setAt(root: Obj, path: string[], value: unknown): void {
  let o = root;
  for (const k of path.slice(0, -1)) {
    if (!isObj(o[k])) o[k] = {};
    o = o[k] as Obj;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** A union's branches keyed by their discriminator's const (e.g. rule.name), or undefined. */
function branches(s: Js): Map<string, Js> | undefined {
  const list = s.oneOf ?? s.anyOf;
  if (!list?.length) return undefined;
  const m = new Map<string, Js>();
  for (const b of list) {
    const c = b.properties?.name?.const;
    if (typeof c !== 'string') return undefined;
    m.set(c, b);
  }
  return m;
}

export class SchemaForm {
  private value: Obj = {};
  /** Every field's wrapper by dotted path (for issues). */
  private readonly fields = new Map<string, HTMLElement>();

  constructor(
    private readonly root: HTMLElement,
    private readonly schema: Js,
    private readonly onChange: () => void,
  ) {}

  getValue(): Obj {
    return structuredClone(this.value);
  }

  setValue(v: Obj): void {
    this.value = structuredClone(v);
    this.render();
  }

  /** Field paths the form has (tests and the page read them). */
  paths(): string[] {
    return [...this.fields.keys()];
  }

  showIssues(issues: { path: string; message: string }[]): void {
    for (const el of this.fields.values()) {
      el.querySelector(':scope > .issue')!.textContent = '';
      el.classList.remove('invalid');
    }
    for (const i of issues) {
      // the deepest field the path reaches (a message about an array element lands on the array)
      let p = i.path;
      while (p && !this.fields.has(p)) p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
      const el = this.fields.get(p) ?? this.fields.get('');
      if (!el) continue;
      const span = el.querySelector(':scope > .issue')!;
      span.textContent = span.textContent ? `${span.textContent}; ${i.message}` : i.message;
      el.classList.add('invalid');
    }
  }

  private render(): void {
    this.fields.clear();
    const top = this.node(this.schema, [], 'experiment');
    this.root.replaceChildren(top);
  }

  private static issueSpan(): HTMLSpanElement {
    const issue = document.createElement('span');
    issue.className = 'issue';
    issue.setAttribute('role', 'alert');
    return issue;
  }

  private wrap(path: string[], label: string, s: Js, control: HTMLElement): HTMLElement {
    const div = document.createElement('div');
    div.className = 'field';
    div.dataset.path = path.join('.');
    const l = document.createElement('label');
    l.textContent = label;
    if (s.description) l.title = s.description;
    const issue = SchemaForm.issueSpan();
    const help = document.createElement('small');
    help.textContent = s.description ?? '';
    l.appendChild(control);
    div.append(l, issue, help);
    this.fields.set(path.join('.'), div);
    return div;
  }

  private changed(path: string[], v: unknown): void {
    setAt(this.value, path, v);
    this.onChange();
  }

  private node(s: Js, path: string[], label: string): HTMLElement {
    const b = branches(s);
    if (b) return this.union(s, b, path, label);
    if (s.properties) return this.object(s, path, label);
    const cur = getAt(this.value, path);
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    if (s.enum) {
      const sel = document.createElement('select');
      sel.name = path.join('.');
      sel.add(new Option(s.default !== undefined ? `(default: ${String(s.default)})` : '(choose)', ''));
      for (const e of s.enum) sel.add(new Option(String(e), String(e)));
      sel.value = cur === undefined ? '' : String(cur);
      sel.addEventListener('change', () => this.changed(path, sel.value === '' ? undefined : (s.enum!.find((e) => String(e) === sel.value) ?? sel.value)));
      return this.wrap(path, label, s, sel);
    }
    if (type === 'boolean') {
      const sel = document.createElement('select');
      sel.name = path.join('.');
      sel.add(new Option(`(default: ${String(s.default ?? 'false')})`, ''));
      sel.add(new Option('true', 'true'));
      sel.add(new Option('false', 'false'));
      sel.value = cur === undefined ? '' : String(cur);
      sel.addEventListener('change', () => this.changed(path, sel.value === '' ? undefined : sel.value === 'true'));
      return this.wrap(path, label, s, sel);
    }
    const input = document.createElement('input');
    input.name = path.join('.');
    const scalar = type === 'number' || type === 'integer' || type === 'string';
    input.value = cur === undefined ? '' : scalar && typeof cur !== 'object' ? String(cur) : JSON.stringify(cur);
    if (s.default !== undefined) input.placeholder = typeof s.default === 'object' ? JSON.stringify(s.default) : String(s.default);
    if (!scalar) input.className = 'json';
    input.addEventListener('input', () => {
      const raw = input.value.trim();
      let v: unknown;
      if (raw !== '') {
        if (type === 'number' || type === 'integer') v = Number.isNaN(Number(raw)) ? raw : Number(raw);
        else if (type === 'string') v = input.value;
        else {
          try {
            v = JSON.parse(raw);
          } catch {
            v = raw; // left as text: the schema check names the field
          }
        }
      }
      this.changed(path, v);
    });
    return this.wrap(path, label, s, input);
  }

  private object(s: Js, path: string[], label: string): HTMLElement {
    const fs = document.createElement('fieldset');
    fs.dataset.path = path.join('.');
    const lg = document.createElement('legend');
    lg.textContent = label;
    if (s.description) lg.title = s.description;
    const issue = SchemaForm.issueSpan();
    fs.append(lg, issue);
    this.fields.set(path.join('.'), fs);
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (k === '$schema' || (k === 'name' && sub.const !== undefined)) continue;
      fs.appendChild(this.node(sub, [...path, k], k));
    }
    return fs;
  }

  private union(s: Js, b: Map<string, Js>, path: string[], label: string): HTMLElement {
    const cur = getAt(this.value, path);
    const name = isObj(cur) && typeof cur.name === 'string' ? cur.name : undefined;
    const fs = document.createElement('fieldset');
    fs.dataset.path = path.join('.');
    const lg = document.createElement('legend');
    lg.textContent = label;
    const issue = SchemaForm.issueSpan();
    const sel = document.createElement('select');
    sel.name = [...path, 'name'].join('.');
    sel.add(new Option('(choose)', ''));
    for (const k of b.keys()) sel.add(new Option(k, k));
    sel.value = name ?? '';
    sel.addEventListener('change', () => {
      // another branch: keep only its name (its fields start at their defaults)
      setAt(this.value, path, sel.value ? { name: sel.value } : undefined);
      this.render();
      this.onChange();
    });
    const nameField = this.wrap([...path, 'name'], 'name', b.get(name ?? '') ?? s, sel);
    fs.append(lg, issue, nameField);
    this.fields.set(path.join('.'), fs);
    const branch = name ? b.get(name) : undefined;
    if (branch) for (const [k, sub] of Object.entries(branch.properties ?? {})) if (k !== 'name') fs.appendChild(this.node(sub, [...path, k], k));
    return fs;
  }
}
