import { ConfigError } from '../src/config/validate.ts';
import { buildModel } from '../src/experiment/build.ts';
import { experimentJsonSchema } from '../src/experiment/docs.ts';
import { experimentIssues, parseExperiment } from '../src/experiment/load.ts';
import type { Experiment } from '../src/experiment/schema.ts';
import { chooseBackend, trainExperiment } from '../src/experiment/train.ts';
import type { GpuContext } from '../src/gpu/context.ts';
import type { MetricsRecord } from '../src/run/model.ts';
import { checkProgramFits } from '../src/run/fits.ts';
import { RunControls } from './lib/controls.ts';
import { LearningCurve } from './lib/curve.ts';
import { SchemaForm } from './lib/schema-form.ts';
import type { Js } from '../src/experiment/docs.ts';
import { errorText, pageGpu } from './page-gpu.ts';

/**
 * The playground: the experiment schema (zod, through z.toJSONSchema) as a form, every preset in
 * experiments/ one click away, bad values shown beside their fields as you type, and the
 * experiment trained in this tab by the same loop as `hedonist run` (WebGPU, or the CPU twins when
 * the browser has none or run.backend says so), with the curve, per-replica counters, Start /
 * Pause / Stop, and the file and its metrics to download. test/browser/playground.test.ts drives it.
 */
interface PlaygroundState {
  ready?: boolean;
  done?: boolean;
  running?: boolean;
  error?: string;
  issues?: { path: string; message: string }[];
  paths?: string[];
  records?: number;
  backend?: string;
  summary?: Record<string, unknown>;
  lastDownload?: { name: string; text: string };
}
declare global {
  interface Window {
    __playground?: PlaygroundState;
  }
}

const PRESETS: Record<string, Record<string, unknown>> = {};
for (const [path, mod] of Object.entries(import.meta.glob('../experiments/*.json', { eager: true, import: 'default' }))) {
  const name = path.split('/').pop()!.replace(/\.json$/, '');
  if (name !== 'experiment.schema') PRESETS[name] = mod as Record<string, unknown>;
}
/** Edge-list files presets name (experiments/wiring/), put into the experiment as the CLI does. */
const WIRING = import.meta.glob('../experiments/wiring/*', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;
/** The metric a record is drawn by, in order of preference (as the CLI's curves.png). */
const METRICS = ['charts/episodic_return', 'return', 'accuracy', 'validAccuracy', 'loss', 'charts/gain'];

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const state: PlaygroundState = (window.__playground = { done: false });
const errorEl = $('error');
const statusEl = $('status');
const gpu = pageGpu({ adapter: $('adapter'), status: statusEl, error: errorEl });
const form = new SchemaForm($('form'), experimentJsonSchema() as Js, () => validate());
const controls = new RunControls({ start: $<HTMLButtonElement>('start'), pause: $<HTMLButtonElement>('pause'), stop: $<HTMLButtonElement>('stop'), status: statusEl }, (running) => {
  state.running = running;
  $('form').querySelectorAll('input, select').forEach((e) => ((e as HTMLInputElement).disabled = running));
  $('presets').querySelectorAll('button').forEach((b) => (b.disabled = running));
});

function showError(text: string): void {
  errorEl.textContent = text;
  errorEl.hidden = false;
  state.error = text;
}

/** The form's experiment, or undefined with every problem shown beside its field. */
function validate(): Experiment | undefined {
  const v = form.getValue();
  let issues = experimentIssues(v).map((e) => ({ path: e.field, message: e.message }));
  let x: Experiment | undefined;
  if (!issues.length) {
    try {
      x = parseExperiment(v);
      buildModel(x); // cross-field checks (sizes against the env, rule options) name their field too
    } catch (e) {
      x = undefined;
      issues = [{ path: e instanceof ConfigError ? e.field : '', message: errorText(e) }];
    }
  }
  form.showIssues(issues);
  state.issues = issues;
  state.paths = form.paths();
  if (!controls.running) $<HTMLButtonElement>('start').disabled = issues.length > 0;
  return issues.length ? undefined : x;
}

function loadPreset(name: string): void {
  const raw = structuredClone(PRESETS[name]!) as { population?: { wiring?: { kind: string; file?: string; edges?: string }[] } };
  for (const w of raw.population?.wiring ?? []) {
    if (w.kind === 'edge-list' && w.file) {
      const text = WIRING[`../experiments/${w.file}`];
      if (text !== undefined) {
        w.edges = text;
        delete w.file;
      }
    }
  }
  form.setValue(raw as Record<string, unknown>);
  state.paths = form.paths();
  errorEl.hidden = true;
  validate();
}

function download(name: string, text: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  state.lastDownload = { name, text };
}

async function run(): Promise<void> {
  const x = validate();
  if (!x) return;
  errorEl.hidden = true;
  state.error = undefined;
  state.done = false;
  state.summary = undefined;
  const records: MetricsRecord[] = [];
  state.records = 0;
  $('download-metrics').hidden = true;
  let curve: LearningCurve | undefined;
  let metric: string | undefined;
  const { signal, gate } = controls.begin();
  statusEl.textContent = 'starting…';
  try {
    let ctx: GpuContext | undefined;
    let gpuError: string | undefined;
    if (x.run.backend !== 'cpu') {
      ctx = await gpu.get().catch((e: unknown) => {
        gpuError = errorText(e);
        errorEl.hidden = x.run.backend !== 'webgpu';
        return undefined;
      });
    }
    const choice = chooseBackend(x.run.backend, ctx, gpuError);
    state.backend = choice.backend;
    $('backend').textContent = `${choice.backend} (${choice.reason})`;
    const model = buildModel(x);
    checkProgramFits(model.program, choice.backend, ctx);
    const R = x.run.replicas;
    let last = 0;
    const draw = () => {
      curve?.redraw();
      curve?.renderCounters($('counters').querySelector('tbody')!);
      $('records').textContent = records.length.toLocaleString();
    };
    statusEl.textContent = 'training…';
    const r = await trainExperiment(x, {
      ctx,
      choice,
      model,
      signal,
      sink: {
        write(m) {
          records.push(m);
          state.records = records.length;
          metric ??= METRICS.find((k) => typeof m[k] === 'number');
          if (metric && typeof m[metric] === 'number') {
            curve ??= new LearningCurve($('chart'), R, { title: `${x.name ?? 'experiment'}: ${metric}`, yTitle: metric, xTitle: 'record (per replica)' });
            curve.add(typeof m.replica === 'number' ? m.replica : 0, m[metric] as number);
          }
        },
        flush: () => 0,
      },
      async beforeChunk() {
        if (performance.now() - last > 100) {
          last = performance.now();
          draw();
        }
        await gate();
      },
    });
    draw();
    state.summary = { ...(r.summary as Record<string, unknown>), backend: r.backend, wallSeconds: r.wallSeconds, stopped: r.stopped ?? false };
    statusEl.textContent = r.stopped ? `stopped at step ${r.envSteps}` : `done in ${r.wallSeconds.toFixed(1)} s`;
  } catch (e) {
    showError(`The run failed: ${errorText(e)}`);
    statusEl.textContent = 'failed';
    await gpu.dropIfBroken();
  } finally {
    controls.end();
    if (records.length) {
      const a = $<HTMLAnchorElement>('download-metrics');
      a.href = URL.createObjectURL(new Blob([records.map((m) => JSON.stringify(m)).join('\n') + '\n'], { type: 'application/x-ndjson' }));
      a.download = `${x.name ?? 'experiment'}-metrics.jsonl`;
      a.hidden = false;
    }
    validate();
    state.done = true;
  }
}

$('start').addEventListener('click', () => void (controls.running ? undefined : run()));
$('download-experiment').addEventListener('click', () => {
  const v = form.getValue();
  download(`${String(v.name ?? 'experiment')}.json`, JSON.stringify(v, null, 2) + '\n', 'application/json');
});

for (const name of Object.keys(PRESETS).sort()) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = name;
  b.dataset.preset = name;
  b.title = String(PRESETS[name]!.description ?? '');
  b.addEventListener('click', () => loadPreset(name));
  $('presets').appendChild(b);
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const preset = q.get('preset') ?? 'cartpole-reinforce';
  if (!(preset in PRESETS)) showError(`Unknown preset '${preset}': one of ${Object.keys(PRESETS).sort().join(', ')}`);
  else loadPreset(preset);
  // Name the adapter; without WebGPU the CPU twins still run (run.backend auto or cpu).
  await gpu.get().catch(() => {
    errorEl.hidden = true;
    $('adapter').textContent = 'none (the CPU twins run)';
  });
  state.ready = true;
  state.done = true;
}

void main();
