import uPlot from 'uplot';
import { errorText, pageGpu } from './page-gpu.ts';
import 'uplot/dist/uPlot.min.css';
import { ConfigError } from '../src/config/validate.ts';
import { parseExperiment } from '../src/experiment/load.ts';
import { ruleAs, type Experiment } from '../src/experiment/schema.ts';
import { trainExperiment } from '../src/experiment/train.ts';
import type { EpisodicSummary } from '../src/rules/reinforce-model.ts';
import preset from '../experiments/cartpole-reinforce.json';
import { buildModel } from '../src/experiment/build.ts';
import { RunControls, startFormPage } from './lib/controls.ts';
import { drawEnv } from './lib/env-view.ts';
import { ReplicaProbe } from './lib/probe.ts';
import { showSummaryTable } from './lib/summary-table.ts';
import { byId as $, formPageElements } from './lib/dom.ts';

/**
 * Live CartPole demo: trains experiments/cartpole-reinforce.json, the same experiment file and the
 * same loop as `hedonist run`, on this page's WebGPU and draws the learning curve as episodes come
 * back. Query params prefill the form (seed, replicas, episodes, hidden, lr); `autostart=1` starts
 * at once. test/browser/demo-cartpole.test.ts drives it.
 */

/** The form's view of the experiment. */
interface DemoConfig {
  seed: number;
  replicas: number;
  episodes: number;
  hidden: number;
  lr: number;
}

/** What the page reports when a run ends. */
interface DemoSummary extends EpisodicSummary {
  learner: 'cartpole-reinforce';
  backend: 'webgpu' | 'cpu';
  adapter: string;
  seed: number;
  replicas: number;
  episodes: number;
  hidden: number;
  lr: number;
  gamma: number;
  wallSeconds: number;
  envStepsPerReplica: number;
  stopped?: true;
}

declare global {
  interface Window {
    /** Set when a run ends (done, stopped or failed), or when the page cannot run at all. */
    __demoDone?: boolean;
    __demoSummary?: DemoSummary;
    /** Each replica's episode returns as the page received them. */
    __demoReturns?: number[][];
    /** x points in the chart's last redraw. */
    __demoChartPoints?: number;
    __demoError?: string;
    /** Env frames drawn (the cart and pole). */
    __demoEnvFrames?: number;
  }
}

/** The form's fields, in order, and the experiment field each one sets. */
const FIELDS = ['seed', 'replicas', 'episodes', 'hidden', 'lr'] as const;
type Field = (typeof FIELDS)[number];
const PATHS: Record<Field, string> = { seed: 'run.seed', replicas: 'run.replicas', episodes: 'run.episodes', hidden: 'population.hidden.0', lr: 'rule.lr' };
const PRESET = parseExperiment(preset);
const DEFAULTS: DemoConfig = { seed: PRESET.run.seed, replicas: PRESET.run.replicas, episodes: PRESET.run.episodes, hidden: PRESET.population.hidden[0]!, lr: ruleAs(PRESET, 'reinforce').lr };
/** Replicas drawn as their own line; the mean curve always covers all of them. */
const MAX_DRAWN_REPLICAS = 16;
const MA_WINDOW = 100;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const { form, startBtn, formError, gpuError, adapterEl, statusEl, progressEl, rateEl, maEl, chartEl, summaryEl } = formPageElements();
const stopBtn = $<HTMLButtonElement>('stop');
const input = (f: Field): HTMLInputElement => form.elements.namedItem(f) as HTMLInputElement;

const gpu = pageGpu({ adapter: adapterEl, status: statusEl, error: gpuError });

// ---- the form ----

function readForm(): { c: DemoConfig; x: Experiment } {
  for (const f of FIELDS) input(f).removeAttribute('aria-invalid');
  formError.textContent = '';
  const c = { ...DEFAULTS };
  for (const f of FIELDS) {
    const raw = input(f).value.trim();
    c[f] = raw === '' ? NaN : Number(raw);
  }
  try {
    const x = parseExperiment(preset, [...FIELDS.map((f) => `${PATHS[f]}=${JSON.stringify(c[f])}`), 'run.backend="webgpu"']);
    return { c, x };
  } catch (e) {
    const field = e instanceof ConfigError ? FIELDS.find((f) => PATHS[f] === e.field) : undefined;
    if (field) {
      const el = input(field);
      el.setAttribute('aria-invalid', 'true');
      el.focus();
    }
    formError.textContent = e instanceof ConfigError ? `Invalid ${field ?? e.field}: ${e.message}` : errorText(e);
    throw e;
  }
}

function prefillForm(params: URLSearchParams): void {
  for (const f of FIELDS) input(f).value = params.get(f) ?? String(DEFAULTS[f]);
}

// ---- the learning curve ----

/** Per-replica returns, their prefix sums, and the mean over replicas of each one's trailing-100 average. */
class Curves {
  readonly returns: number[][];
  private readonly prefix: number[][];
  readonly meanMa: number[] = [];
  constructor(readonly replicas: number) {
    this.returns = Array.from({ length: replicas }, () => []);
    this.prefix = Array.from({ length: replicas }, () => [0]);
  }

  add(replica: number, ret: number): void {
    this.returns[replica]!.push(ret);
    const p = this.prefix[replica]!;
    p.push(p[p.length - 1]! + ret);
  }

  /** Extend meanMa over every episode all replicas have reached. */
  update(): void {
    const common = this.returns.reduce((m, r) => Math.min(m, r.length), Infinity);
    for (let e = this.meanMa.length; e < common; e++) {
      const lo = Math.max(0, e + 1 - MA_WINDOW);
      let s = 0;
      for (const p of this.prefix) s += (p[e + 1]! - p[lo]!) / (e + 1 - lo);
      this.meanMa.push(s / this.replicas);
    }
  }

  get logged(): number {
    return this.returns.reduce((s, r) => s + r.length, 0);
  }

  get longest(): number {
    return this.returns.reduce((m, r) => Math.max(m, r.length), 0);
  }
}

let chart: uPlot | undefined;
const xs: number[] = [];

function padded(values: readonly number[], len: number): (number | null)[] {
  const out: (number | null)[] = values.slice(0, len);
  while (out.length < len) out.push(null);
  return out;
}

function chartWidth(): number {
  return Math.max(320, chartEl.clientWidth);
}

function makeChart(c: DemoConfig): void {
  chart?.destroy();
  const drawn = Math.min(c.replicas, MAX_DRAWN_REPLICAS);
  const series: uPlot.Series[] = [{ label: 'episode' }];
  for (let r = 0; r < drawn; r++) {
    series.push({ label: `replica ${r}`, stroke: PALETTE[r % PALETTE.length] + (drawn <= 4 ? '99' : '66'), width: 1, points: { show: false }, spanGaps: false });
  }
  series.push({ label: `mean over ${c.replicas} replicas of trailing-${MA_WINDOW} avg`, stroke: '#111', width: 2.5, points: { show: false } });
  const axisFont = '12px system-ui, sans-serif';
  const labelFont = 'bold 13px system-ui, sans-serif';
  chart = new uPlot(
    {
      width: chartWidth(),
      height: 380,
      title: `Episode return per replica${c.replicas > drawn ? ` (first ${drawn} of ${c.replicas} drawn)` : ''}`,
      // x spans the whole run from the start; y grows in steps of 50 up to CartPole-v1's cap of 500.
      scales: { x: { time: false, range: [1, Math.max(2, c.episodes)] }, y: { range: (_u, _min, max) => [0, Math.min(500, Math.max(50, Math.ceil((max * 1.05) / 50) * 50))] } },
      axes: [
        { label: 'episode (per replica)', font: axisFont, labelFont, labelSize: 22 },
        { label: 'return (steps balanced)', font: axisFont, labelFont, labelSize: 22, size: 52 },
      ],
      series,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    },
    [[]],
    chartEl,
  );
}

function redraw(curves: Curves): void {
  curves.update();
  const len = curves.longest;
  while (xs.length < len) xs.push(xs.length + 1);
  xs.length = len;
  const drawn = Math.min(curves.replicas, MAX_DRAWN_REPLICAS);
  const data: (number | null)[][] = [xs.slice()];
  for (let r = 0; r < drawn; r++) data.push(padded(curves.returns[r]!, len));
  data.push(padded(curves.meanMa, len));
  chart?.setData(data as uPlot.AlignedData);
  window.__demoChartPoints = len;
}

window.addEventListener('resize', () => chart?.setSize({ width: chartWidth(), height: 380 }));

// ---- a run ----

const controls = new RunControls({ start: startBtn, pause: $<HTMLButtonElement>('pause'), stop: stopBtn, status: statusEl }, (running) => {
  for (const f of FIELDS) input(f).disabled = running;
});
const replicaSel = $<HTMLSelectElement>('replica');
const envCanvas = $<HTMLCanvasElement>('env');

function showStats(curves: Curves, c: DemoConfig, t0: number): void {
  const logged = curves.logged;
  const secs = (performance.now() - t0) / 1000;
  progressEl.textContent = `${logged.toLocaleString()} / ${(c.replicas * c.episodes).toLocaleString()}`;
  rateEl.textContent = secs > 0 ? (logged / secs).toFixed(1) : '–';
  const ma = curves.meanMa[curves.meanMa.length - 1];
  maEl.textContent = ma === undefined ? '–' : ma.toFixed(1);
}

function showSummary(s: DemoSummary, curves: Curves): void {
  const fmt = (xs: number[]): string => xs.map((x) => (Number.isFinite(x) ? x.toFixed(1) : '–')).join(', ');
  const rows: [string, string][] = [
    ['result', s.stopped ? `stopped after ${curves.logged} of ${s.replicas * s.episodes} episodes` : `done: ${s.replicas} × ${s.episodes} episodes`],
    ['backend / adapter', `${s.backend} / ${s.adapter}`],
    ['config', `seed ${s.seed}, hidden ${s.hidden}, lr ${s.lr}, gamma ${s.gamma}`],
    ['wall time', `${s.wallSeconds.toFixed(2)} s (${(curves.logged / s.wallSeconds).toFixed(1)} episodes/s, ${s.envStepsPerReplica.toLocaleString()} env steps per replica)`],
    ['first-100 mean return per replica', fmt(s.first100MeanReturn)],
    ['last-100 mean return per replica', fmt(s.last100MeanReturn)],
    ['last-100 mean over replicas', `${s.last100MeanOverReplicas.toFixed(1)} ± ${s.last100StdOverReplicas.toFixed(1)} (random policy ≈ 22)`],
  ];
  showSummaryTable(summaryEl, rows);
}

async function run(): Promise<void> {
  let c: DemoConfig, x: Experiment;
  try {
    ({ c, x } = readForm());
  } catch (e) {
    window.__demoError = errorText(e);
    window.__demoDone = true;
    return;
  }
  const params = new URLSearchParams(location.search);
  for (const f of FIELDS) params.set(f, String(c[f]));
  params.delete('autostart');
  history.replaceState(null, '', `?${params}`);

  window.__demoDone = false;
  window.__demoSummary = undefined;
  window.__demoError = undefined;
  summaryEl.hidden = true;
  const curves = new Curves(c.replicas);
  window.__demoReturns = curves.returns;
  makeChart(c);
  const { signal, gate } = controls.begin();
  replicaSel.replaceChildren(...Array.from({ length: c.replicas }, (_, r) => new Option(`${r}`, `${r}`)));
  statusEl.textContent = 'starting…';

  let frameQueued = false;
  let t0 = performance.now();
  const frame = (): void => {
    frameQueued = false;
    redraw(curves);
    showStats(curves, c, t0);
  };
  try {
    const ctx = await gpu.get();
    statusEl.textContent = 'compiling shaders and training…';
    t0 = performance.now();
    const model = buildModel(x);
    const probe = new ReplicaProbe(model, x);
    let lastDraw = 0;
    const r = await trainExperiment(x, {
      ctx,
      model,
      signal,
      // the cart and pole between chunks (at most ~15 reads a second), and Pause's hold
      async beforeChunk(_chunk, exec) {
        if (performance.now() - lastDraw > 66) {
          lastDraw = performance.now();
          const replica = Math.min(Number(replicaSel.value) || 0, c.replicas - 1);
          const snap = await probe.read(exec, replica);
          if (snap.env) drawEnv(envCanvas, 'cartpole', snap.env, `replica ${replica}, step ${exec.stepCount}`);
          window.__demoEnvFrames = (window.__demoEnvFrames ?? 0) + 1;
        }
        await gate();
      },
      sink: {
        write(m) {
          curves.add(m.replica as number, m['charts/episodic_return'] as number);
          if (!frameQueued) {
            frameQueued = true;
            requestAnimationFrame(frame);
          }
        },
        flush: () => 0,
      },
      onProgress() {
        if (!controls.paused) statusEl.textContent = signal.aborted ? 'stopping…' : 'training…';
      },
    });
    const summary: DemoSummary = {
      ...(r.summary as EpisodicSummary),
      learner: 'cartpole-reinforce',
      backend: r.backend,
      adapter: r.adapter,
      seed: c.seed,
      replicas: c.replicas,
      episodes: c.episodes,
      hidden: c.hidden,
      lr: c.lr,
      gamma: ruleAs(x, 'reinforce').gamma,
      wallSeconds: r.wallSeconds,
      envStepsPerReplica: r.envSteps,
      ...(r.stopped ? { stopped: true as const } : {}),
    };
    frame();
    statusEl.textContent = summary.stopped ? 'stopped' : 'done';
    showSummary(summary, curves);
    window.__demoSummary = summary;
  } catch (e) {
    frame();
    window.__demoError = errorText(e);
    statusEl.textContent = 'failed';
    if (gpu.requested) {
      formError.textContent = `Training failed: ${window.__demoError}`;
      await gpu.dropIfBroken();
    }
  } finally {
    controls.end();
    window.__demoDone = true;
  }
}

void startFormPage({
  form,
  fields: FIELDS.map(input),
  startBtn,
  controls,
  prefill: prefillForm,
  gpu,
  run,
  unavailable: (e) => {
    window.__demoError = errorText(e);
    window.__demoDone = true;
  },
});
