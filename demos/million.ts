import { RunControls, startFormPage } from './lib/controls.ts';
import uPlot from 'uplot';
import { errorText, pageGpu } from './page-gpu.ts';
import 'uplot/dist/uPlot.min.css';
import { parseExperiment } from '../src/experiment/load.ts';
import { trainExperiment } from '../src/experiment/train.ts';
import { millionConfig, MILLION_DEFAULTS, validateChungMuxConfig, type ChungMuxConfig } from '../src/learners/chung-multiplexer/index.ts';
import { muxExperiment, type WeightMaxSparseSummary } from '../src/rules/weight-max-sparse.ts';
import { RateImage } from './lib/rate-image.ts';
import { showSummaryTable } from './lib/summary-table.ts';
import { byId as $, formPageElements } from './lib/dom.ts';

/** What the page reports when a run ends: the rule's summary and where and how fast it ran. */
type MillionSummary = WeightMaxSparseSummary & { stopped?: boolean; backend: string; adapter: string; wallSeconds: number; buildSeconds: number; episodesPerSecond: number };

/**
 * Live million-agent demo: trains the `hedonist train million` preset (millionConfig as a
 * weight-max-sparse experiment, the same core as the CLI: trainExperiment on the GPU executor) on
 * this page's WebGPU, draws the learning curve (uPlot) and a firing-rate image of the big layer, one
 * pixel per neuron-agent. Rewards come back with each chunk's metrics readback; the big layer's
 * firing probabilities are read once per chunk (before the next is submitted); the image is redrawn
 * at most once per animation frame. Query params prefill the form (seed, units, episodes, submit =
 * steps per chunk); `autostart=1` starts at once. test/browser/million.test.ts drives it.
 */

declare global {
  interface Window {
    /** Set when a run ends (done or failed), or when the page cannot run at all. */
    __millionDone?: boolean;
    __millionSummary?: MillionSummary & { lr: number[]; temp: number[]; stepsPerSubmit: number };
    /** The reward of every episode as it came back (replica 0; the preset has one replica). */
    __millionRewards?: number[];
    /** Firing-rate image: readbacks folded in and lit pixels at the last redraw. */
    __millionImage?: { width: number; height: number; readbacks: number; lit: number; meanRate: number };
    __millionError?: string;
  }
}

const FIELDS = ['seed', 'units', 'episodes', 'submit'] as const;
type Field = (typeof FIELDS)[number];
const DEFAULTS: Record<Field, number> = { seed: 1, units: MILLION_DEFAULTS.units, episodes: MILLION_DEFAULTS.episodes, submit: 1 };
const MA_WINDOW = 100;

const { form, startBtn, formError, gpuError, adapterEl, statusEl, progressEl, rateEl, maEl, chartEl, summaryEl } = formPageElements();
const ratesCanvas = $<HTMLCanvasElement>('rates');
const input = (f: Field): HTMLInputElement => form.elements.namedItem(f) as HTMLInputElement;

const gpu = pageGpu({ adapter: adapterEl, status: statusEl, error: gpuError });

// ---- the form ----

function readForm(): ChungMuxConfig {
  for (const f of FIELDS) input(f).removeAttribute('aria-invalid');
  formError.textContent = '';
  const v = {} as Record<Field, number>;
  const bad = (f: Field, msg: string): never => {
    const el = input(f);
    el.setAttribute('aria-invalid', 'true');
    el.focus();
    formError.textContent = `Invalid ${f}: ${msg}`;
    throw new RangeError(`${f}: ${msg}`);
  };
  const limits: Record<Field, [number, number]> = { seed: [0, 2 ** 32 - 1], units: [1, 1 << 22], episodes: [1, 1_000_000], submit: [1, 256] };
  for (const f of FIELDS) {
    const raw = input(f).value.trim();
    const x = raw === '' ? NaN : Number(raw);
    const [lo, hi] = limits[f];
    if (!Number.isInteger(x) || x < lo || x > hi) bad(f, `${f} must be an integer in [${lo}, ${hi}], got ${raw || 'nothing'}`);
    v[f] = x;
  }
  const c = millionConfig({ units: v.units, episodes: v.episodes, seed: v.seed, backend: 'webgpu', stepsPerSubmit: v.submit });
  try {
    validateChungMuxConfig(c);
  } catch (e) {
    formError.textContent = errorText(e);
    throw e;
  }
  return c;
}

function prefillForm(params: URLSearchParams): void {
  for (const f of FIELDS) input(f).value = params.get(f) ?? String(DEFAULTS[f]);
}

// ---- the learning curve ----

let chart: uPlot | undefined;
const rewards: number[] = [];
const xs: number[] = [];
const ma: number[] = [];
const cum: number[] = [];
let sum = 0;

function chartWidth(): number {
  return Math.max(320, chartEl.clientWidth);
}

function makeChart(episodes: number): void {
  chart?.destroy();
  const axisFont = '12px system-ui, sans-serif';
  const labelFont = 'bold 13px system-ui, sans-serif';
  chart = new uPlot(
    {
      width: chartWidth(),
      height: 380,
      title: 'Reward per episode (+1 right, -1 wrong; chance 0)',
      scales: { x: { time: false, range: [1, Math.max(2, episodes)] }, y: { range: [-1.05, 1.05] } },
      axes: [
        { label: 'episode', font: axisFont, labelFont, labelSize: 22 },
        { label: 'reward', font: axisFont, labelFont, labelSize: 22, size: 52 },
      ],
      series: [
        { label: 'episode' },
        { label: 'reward', stroke: '#1f77b466', width: 0, points: { show: true, size: 4, fill: '#1f77b4' }, paths: () => null },
        { label: `trailing-${MA_WINDOW} mean`, stroke: '#d62728', width: 2.5, points: { show: false } },
        { label: 'running mean', stroke: '#111', width: 1.5, dash: [6, 4], points: { show: false } },
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    },
    [[]],
    chartEl,
  );
}

function addRewards(means: readonly number[]): void {
  for (const r of means) {
    rewards.push(r);
    sum += r;
    const n = rewards.length;
    xs.push(n);
    const lo = Math.max(0, n - MA_WINDOW);
    let s = 0;
    for (let i = lo; i < n; i++) s += rewards[i]!;
    ma.push(s / (n - lo));
    cum.push(sum / n);
  }
}

window.addEventListener('resize', () => chart?.setSize({ width: chartWidth(), height: 380 }));

// ---- a run ----

const controls = new RunControls({ start: startBtn, pause: $<HTMLButtonElement>('pause'), stop: $<HTMLButtonElement>('stop'), status: statusEl });

function showStats(c: ChungMuxConfig, t0: number): void {
  const n = rewards.length;
  const secs = (performance.now() - t0) / 1000;
  progressEl.textContent = `${n.toLocaleString()} / ${c.episodes.toLocaleString()}`;
  rateEl.textContent = n > 0 ? (secs / n).toFixed(2) : '–';
  maEl.textContent = n > 0 ? ma[n - 1]!.toFixed(3) : '–';
}

function showSummary(s: MillionSummary, c: ChungMuxConfig): void {
  const n = rewards.length;
  const avg = (a: number, b: number): number => rewards.slice(a, b).reduce((p, x) => p + x, 0) / Math.max(1, b - a);
  const k = Math.min(100, n);
  const rows: [string, string][] = [
    ['network', `${s.addressBits + (1 << s.addressBits)} inputs → ${s.hidden.join(' → ')} → 2 (fan-in ${s.fanInPerLayer.join(' / ')}), ${s.rule}`],
    ['agents', `${s.hiddenUnits.toLocaleString()} hidden neuron-agents, ${s.synapses.toLocaleString()} synapses`],
    ['backend / adapter', `${s.backend} / ${s.adapter}`],
    ['device memory', `${(s.deviceBytes / 2 ** 20).toFixed(1)} MiB = ${s.bytesPerNeuron.toFixed(1)} B per neuron-agent = ${s.bytesPerSynapse.toFixed(2)} B per synapse-agent`],
    ['learning rates / temperatures', `lr ${c.lr.map((x) => x.toPrecision(3)).join(', ')}; temp ${c.temp.map((x) => x.toPrecision(3)).join(', ')}`],
    ['wall time', `${s.wallSeconds.toFixed(1)} s (build ${s.buildSeconds.toFixed(1)} s, ${(1 / s.episodesPerSecond).toFixed(2)} s per episode)`],
    [`mean reward, first ${k} / last ${k}`, `${avg(0, k).toFixed(3)} / ${avg(n - k, n).toFixed(3)} (all ${s.meanReturn.toFixed(3)}; chance 0)`],
  ];
  showSummaryTable(summaryEl, rows);
}

async function run(): Promise<void> {
  let c: ChungMuxConfig;
  try {
    c = readForm();
  } catch (e) {
    window.__millionError = errorText(e);
    window.__millionDone = true;
    return;
  }
  const params = new URLSearchParams(location.search);
  for (const f of FIELDS) params.set(f, input(f).value.trim());
  params.delete('autostart');
  history.replaceState(null, '', `?${params}`);

  window.__millionDone = false;
  window.__millionSummary = undefined;
  window.__millionError = undefined;
  summaryEl.hidden = true;
  rewards.length = xs.length = ma.length = cum.length = 0;
  sum = 0;
  window.__millionRewards = rewards;
  makeChart(c.episodes);
  const units = c.hidden[1]!;
  $('units-label').textContent = units.toLocaleString();
  const img = new RateImage(units, ratesCanvas);
  window.__millionImage = { width: img.side, height: img.side, readbacks: 0, lit: 0, meanRate: 0 };
  for (const f of FIELDS) input(f).disabled = true;
  const { signal, gate } = controls.begin();
  statusEl.textContent = 'starting…';

  let frameQueued = false;
  let imageDirty = false;
  let t0 = performance.now();
  const frame = (): void => {
    frameQueued = false;
    chart?.setData([xs, rewards, ma, cum] as uPlot.AlignedData);
    if (imageDirty) {
      imageDirty = false;
      const { lit, meanRate } = img.draw();
      window.__millionImage = { width: img.side, height: img.side, readbacks: img.readbacks, lit, meanRate };
    }
    showStats(c, t0);
  };
  const queueFrame = (): void => {
    if (!frameQueued) {
      frameQueued = true;
      requestAnimationFrame(frame);
    }
  };
  try {
    const ctx = await gpu.get();
    statusEl.textContent = `building ${units.toLocaleString()} neuron-agents, compiling shaders…`;
    t0 = performance.now();
    let buildSeconds = 0;
    const watch = async (read: (name: string) => Promise<Float32Array | Uint32Array>) => {
      img.fold((await read('layer.1.mean')) as Float32Array);
      imageDirty = true;
      queueFrame();
    };
    const r = await trainExperiment(parseExperiment(muxExperiment(c, 'webgpu')), {
      ctx,
      choice: { backend: 'webgpu', reason: "the demo runs on this page's WebGPU" },
      signal,
      sink: {
        write(m) {
          if (m.replica !== 0) return;
          addRewards([m['charts/episodic_return'] as number]);
          if (!controls.paused) statusEl.textContent = 'training…';
          queueFrame();
        },
        flush: () => 0,
      },
      // The big layer's firing probabilities after the chunks so far (one read before each chunk).
      async beforeChunk(chunk, exec) {
        if (chunk === 0) buildSeconds = (performance.now() - t0) / 1000;
        else await watch(async (n) => (await exec.read(n)) as Float32Array | Uint32Array);
        await gate();
      },
    });
    const s = r.summary as WeightMaxSparseSummary;
    const summary: MillionSummary = {
      ...s,
      ...(r.stopped ? { stopped: true } : {}),
      backend: r.backend,
      adapter: r.adapter,
      wallSeconds: r.wallSeconds,
      buildSeconds,
      episodesPerSecond: c.episodes / Math.max(1e-9, r.wallSeconds - buildSeconds),
    };
    if (img.readbacks === 0) imageDirty = true;
    frame();
    statusEl.textContent = r.stopped ? `stopped after ${rewards.length} episodes` : 'done';
    showSummary(summary, c);
    window.__millionSummary = { ...summary, lr: c.lr, temp: c.temp, stepsPerSubmit: c.stepsPerSubmit };
  } catch (e) {
    frame();
    window.__millionError = errorText(e);
    statusEl.textContent = 'failed';
    formError.textContent = `Training failed: ${window.__millionError}`;
    await gpu.dropIfBroken();
  } finally {
    controls.end();
    for (const f of FIELDS) input(f).disabled = false;
    window.__millionDone = true;
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
    window.__millionError = errorText(e);
    window.__millionDone = true;
  },
});
