import { ConfigError } from '../src/config/validate.ts';
import { buildModel } from '../src/experiment/build.ts';
import { parseExperiment } from '../src/experiment/load.ts';
import type { Experiment } from '../src/experiment/schema.ts';
import { trainExperiment } from '../src/experiment/train.ts';
import type { Executor } from '../src/run/executor.ts';
import { LearningCurve } from './lib/curve.ts';
import { drawEnv } from './lib/env-view.ts';
import { ReplicaProbe } from './lib/probe.ts';
import { SpikeRaster } from './lib/raster.ts';
import { errorText, pageBackend, pageGpu } from './page-gpu.ts';
import type { WatchState } from './watch-state.ts';
import { byId as $ } from './lib/dom.ts';

/**
 * "Watch it learn": trains any preset whose env can be drawn, in this tab, through the same
 * experiment files and loop as `hedonist run`, and shows one replica's task (picked by the
 * replica selector), its units' activity as a raster, every replica's learning curve and counters.
 * Start / Pause / Stop; bad input or a failed run shows its error on the page. Query parameters
 * prefill the form (preset, backend, seed, replicas, episodes, stepsPerChunk); autostart=1 starts.
 * test/browser/demo-watch.test.ts drives it.
 */

declare global {
  interface Window {
    __watch?: WatchState;
  }
}

const DRAWABLE = new Set(['cartpole', 'acrobot', 'lunar-lander']);
const PRESETS: Record<string, unknown> = {};
for (const [path, mod] of Object.entries(import.meta.glob('../experiments/*.json', { eager: true, import: 'default' }))) {
  const name = path
    .split('/')
    .pop()!
    .replace(/\.json$/, '');
  const env = (mod as { env?: { name?: string } }).env?.name;
  if (name !== 'experiment.schema' && env && DRAWABLE.has(env)) PRESETS[name] = mod;
}

const form = $<HTMLFormElement>('config');
const presetSel = $<HTMLSelectElement>('preset');
const replicaSel = $<HTMLSelectElement>('replica');
const startBtn = $<HTMLButtonElement>('start');
const pauseBtn = $<HTMLButtonElement>('pause');
const stopBtn = $<HTMLButtonElement>('stop');
const errorEl = $('error');
const statusEl = $('status');
const envCanvas = $<HTMLCanvasElement>('env');
const raster = new SpikeRaster($<HTMLCanvasElement>('raster'));
const counters = $<HTMLTableElement>('counters').tBodies[0]!;
const FIELDS = ['seed', 'replicas', 'episodes', 'stepsPerChunk'] as const;
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const gpu = pageGpu({ adapter: $('adapter'), status: statusEl, error: errorEl });
const state: WatchState = (window.__watch = { done: false });

for (const name of Object.keys(PRESETS).sort()) presetSel.add(new Option(name, name));

function showError(text: string): void {
  errorEl.textContent = text;
  errorEl.hidden = false;
  state.error = text;
}

function fillFromPreset(name: string, params?: URLSearchParams): void {
  const x = parseExperiment(PRESETS[name]);
  const v: Record<string, number | string> = { seed: x.run.seed, replicas: Math.min(x.run.replicas, 8), episodes: Math.min(x.run.episodes, 500), stepsPerChunk: 10, backend: 'auto' };
  for (const k of [...FIELDS, 'backend']) field(k).value = params?.get(k) ?? String(v[k]);
}

/** The experiment the form describes; a bad value is shown beside the form, naming its field. */
function readForm(): Experiment {
  for (const k of FIELDS) field(k).removeAttribute('aria-invalid');
  errorEl.hidden = true;
  const sets = FIELDS.map((k) => `run.${k}=${JSON.stringify(Number(field(k).value.trim() === '' ? NaN : field(k).value))}`);
  try {
    return parseExperiment(PRESETS[presetSel.value], [...sets, `run.backend=${JSON.stringify(field('backend').value)}`]);
  } catch (e) {
    const k = e instanceof ConfigError ? FIELDS.find((f) => `run.${f}` === e.field) : undefined;
    if (k) field(k).setAttribute('aria-invalid', 'true');
    showError(e instanceof ConfigError ? `Invalid ${k ?? e.field}: ${e.message}` : errorText(e));
    throw e;
  }
}

// ---- controls ----

let abort: AbortController | undefined;
let paused = false;
let resume: (() => void) | undefined;

function setRunning(running: boolean): void {
  for (const k of [...FIELDS, 'backend', 'preset']) field(k).disabled = running;
  startBtn.disabled = running;
  pauseBtn.disabled = !running;
  stopBtn.disabled = !running;
  pauseBtn.textContent = 'Pause';
  state.running = running;
}

pauseBtn.addEventListener('click', () => {
  if (!abort) return;
  paused = !paused;
  state.paused = paused;
  pauseBtn.textContent = paused ? 'Resume' : 'Pause';
  statusEl.textContent = paused ? 'paused' : 'training…';
  if (!paused) resume?.();
});
stopBtn.addEventListener('click', () => {
  if (!abort) return;
  abort.abort();
  paused = false;
  state.paused = false;
  resume?.();
  statusEl.textContent = 'stopping…';
  stopBtn.disabled = pauseBtn.disabled = true;
});
presetSel.addEventListener('change', () => fillFromPreset(presetSel.value));

// ---- a run ----

async function run(): Promise<void> {
  let x: Experiment;
  try {
    x = readForm();
  } catch {
    return;
  }
  state.done = false;
  state.error = undefined;
  state.summary = undefined;
  state.frames = 0;
  const R = x.run.replicas;
  replicaSel.replaceChildren(...Array.from({ length: R }, (_, r) => new Option(`${r}`, `${r}`)));
  const curve = new LearningCurve($('chart'), R, { title: `${x.name ?? 'run'}: return per episode`, yTitle: 'episode return' });
  state.episodes = curve.returns.map(() => 0);
  raster.clear();
  abort = new AbortController();
  paused = false;
  setRunning(true);
  statusEl.textContent = 'starting…';
  let lastDraw = 0;
  let steps = 0;
  const frame = async (exec: Executor, probe: ReplicaProbe) => {
    const replica = Math.min(Number(replicaSel.value) || 0, R - 1);
    const snap = await probe.read(exec, replica);
    if (snap.env && probe.envKind) drawEnv(envCanvas, probe.envKind, snap.env, `${x.env!.name}, replica ${replica}, step ${exec.stepCount}`);
    if (snap.activity) raster.push(snap.activity);
    state.frames!++;
    state.spikes = raster.spikes;
    $('steps').textContent = exec.stepCount.toLocaleString();
    steps = exec.stepCount;
    const len = curve.redraw();
    curve.renderCounters(counters, replica);
    $('progress').textContent = `${curve.returns.reduce((s, r) => s + r.length, 0).toLocaleString()} / ${(R * x.run.episodes).toLocaleString()}`;
    return len;
  };
  try {
    const { ctx, choice } = await pageBackend(x.run.backend, gpu, errorEl);
    state.backend = choice.backend;
    $('backend').textContent = `${choice.backend} (${choice.reason})`;
    const model = buildModel(x);
    const probe = new ReplicaProbe(model, x);
    $('raster-caption').textContent = probe.activityUnits
      ? `${probe.activityUnits} units (${probe.activityLabel}), one column per frame of ${x.run.stepsPerChunk} steps; dark = spike`
      : 'this model exposes no unit activity';
    statusEl.textContent = 'training…';
    const r = await trainExperiment(x, {
      ctx,
      choice,
      model,
      signal: abort.signal,
      sink: {
        write(m) {
          const ret = (m['charts/episodic_return'] ?? m.return) as number | undefined;
          if (typeof m.replica === 'number' && typeof ret === 'number') {
            curve.add(m.replica, ret);
            state.episodes![m.replica] = (state.episodes![m.replica] ?? 0) + 1;
          }
        },
        flush: () => 0,
      },
      async beforeChunk(_chunk, exec) {
        if (paused) {
          await frame(exec, probe);
          await new Promise<void>((res) => (resume = res));
          resume = undefined;
        }
        const now = performance.now();
        if (now - lastDraw > 60) {
          lastDraw = now;
          await frame(exec, probe);
        }
      },
    });
    curve.redraw();
    curve.renderCounters(counters, Number(replicaSel.value) || 0);
    state.summary = { ...(r.summary as Record<string, unknown>), backend: r.backend, adapter: r.adapter, wallSeconds: r.wallSeconds, envSteps: r.envSteps, stopped: r.stopped ?? false };
    statusEl.textContent = r.stopped ? `stopped at step ${r.envSteps}` : 'done';
    $('steps').textContent = Math.max(steps, r.envSteps).toLocaleString();
  } catch (e) {
    showError(`The run failed: ${errorText(e)}`);
    statusEl.textContent = 'failed';
    await gpu.dropIfBroken();
  } finally {
    abort = undefined;
    setRunning(false);
    state.done = true;
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!abort) void run();
});
window.addEventListener('resize', () => undefined);

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const preset = params.get('preset');
  if (preset && !(preset in PRESETS)) {
    showError(`Unknown preset '${preset}': one of ${Object.keys(PRESETS).sort().join(', ')}`);
    state.done = true;
    return;
  }
  presetSel.value = preset ?? 'cartpole-reinforce';
  fillFromPreset(presetSel.value, params);
  // Ask for WebGPU up front only to name the adapter; a page without it still runs the CPU twins.
  await gpu.get().catch(() => (errorEl.hidden = true));
  startBtn.disabled = false;
  if (params.get('autostart') === '1') await run();
  else state.done = true;
}

void main();
