/**
 * The presets in experiments/*.json, bundled by vite, as the playground loads them: edge-list
 * wiring files (read from disk by the CLI, relative to the experiment file) inlined as `edges`, and
 * the reason a preset cannot run in a browser tab where it cannot; MNIST presets on a subset (inTab).
 */
import { mnistSplitSizes } from '../../src/synq/config.ts';

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
  const x = (doc ?? {}) as { population?: { wiring?: { kind?: string; file?: string }[] } };
  const file = x.population?.wiring?.find((w) => w?.kind === 'edge-list' && w.file !== undefined)?.file;
  if (file !== undefined) return `edge-list file '${file}' is read from disk by the CLI: paste the list into 'edges' instead`;
  return undefined;
}

/** MNIST images a preset trains on in the tab when it asks for all of them (rule.task.maxSamples 0). */
export const TAB_MNIST_SAMPLES = 2000;

/**
 * A preset as the playground loads it: an MNIST task (synaptic-q, gd) that uses all 60,000 training
 * images gets rule.task.maxSamples = TAB_MNIST_SAMPLES, so a run in the tab is short (synaptic-q's
 * minibatch at most the training part of them, as `reproduce bhargava-table1` does); the note says
 * so. The field stays in the form (0 = all) and in the downloaded file, so `hedonist run` of that
 * file trains on the same images.
 */
export function inTab(doc: Obj): { doc: Obj; note?: string } {
  const rule = doc.rule as { name?: string; task?: { kind?: string; maxSamples?: number; validationFraction?: number; batchSize?: number } } | undefined;
  const mnist = (rule?.name === 'synaptic-q' || rule?.name === 'gd') && (rule.task?.kind ?? 'mnist') === 'mnist';
  if (!mnist || (rule.task?.maxSamples ?? 0) > 0) return { doc };
  const out = structuredClone(doc);
  const r = out.rule as Obj;
  const task = { kind: 'mnist', ...(r.task as Obj | undefined), maxSamples: TAB_MNIST_SAMPLES } as Obj;
  const train = mnistSplitSizes(rule.task?.validationFraction ?? 0.25, TAB_MNIST_SAMPLES).train;
  let batch = '';
  if (rule.name === 'synaptic-q' && (rule.task?.batchSize ?? 5000) > train) {
    task.batchSize = train;
    batch = ` and a minibatch of ${train.toLocaleString('en')} (rule.task.batchSize: its training part)`;
  }
  r.task = task;
  return {
    doc: out,
    note: `In the tab this preset trains on ${TAB_MNIST_SAMPLES.toLocaleString('en')} of MNIST's 60,000 training images (rule.task.maxSamples; the preset file says 0, all of them)${batch}, so a run is short; set maxSamples to 0 for the whole set. The images are fetched once from this server (about 47 MB).`,
  };
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
