import uPlot from 'uplot';
import { resolveOttConfig, type OttConfig, type OttPolicyKind, type OttRewardMode } from '../src/ott/config.ts';
import { ottNetwork, RS } from '../src/ott/network.ts';
import { trainOttCartpole, type OttTrainSummary } from '../src/ott/trainer.ts';
import { RunControls } from './lib/controls.ts';
import { LearningCurve } from './lib/curve.ts';
import { errorText, pageGpu } from './page-gpu.ts';
import { byId as $ } from './lib/dom.ts';

/**
 * Live Ott demo: trains on this page's WebGPU (the Ott step program on the GPU executor); draws the
 * learning curve (every replica, with a legend and axis titles), per-replica counters, a spike
 * raster of replica 0's latest episode (read back before each chunk) and per-layer firing rates.
 * The form sets the run (query parameters prefill it; a run starts on load unless autostart=0);
 * Start / Pause / Stop; a bad value or a failed run shows its error on the page.
 * test/browser/demo-ott.test.ts drives it with a few episodes.
 */
declare global {
  interface Window {
    __ottDone?: boolean;
    __ottSummary?: OttTrainSummary;
    __ottReturns?: number[][];
    __ottRasterSpikes?: number;
    __ottError?: string;
  }
}

const form = $<HTMLFormElement>('config');
const FIELDS = ['layers', 'rewards', 'policy', 'replicas', 'seed', 'episodes'] as const;
const DEFAULTS: Record<(typeof FIELDS)[number], string> = { layers: '1', rewards: 'all', policy: 'mlp', replicas: '4', seed: '0', episodes: '2000' };
const field = (k: string) => form.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement;
const gpu = pageGpu({ adapter: $('adapter'), status: $('status'), error: $('error') });
const controls = new RunControls({ start: $<HTMLButtonElement>('start'), pause: $<HTMLButtonElement>('pause'), stop: $<HTMLButtonElement>('stop'), status: $('status') }, (running) => {
  for (const k of FIELDS) field(k).disabled = running;
});
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

function showError(text: string): void {
  $('error').textContent = text;
  $('error').hidden = false;
  window.__ottError = text;
}

/** The form as an Ott config; a bad value is shown on the page, naming its field. */
function readForm(): OttConfig {
  for (const k of FIELDS) field(k).removeAttribute('aria-invalid');
  $('error').hidden = true;
  const num = (k: string) => (field(k).value.trim() === '' ? NaN : Number(field(k).value));
  try {
    return resolveOttConfig({
      layers: num('layers'),
      rewardMode: field('rewards').value as OttRewardMode,
      policy: field('policy').value as OttPolicyKind,
      replicas: num('replicas'),
      seed: num('seed'),
      maxEpisodes: num('episodes'),
    });
  } catch (e) {
    const msg = errorText(e);
    const name = /^(\w+) must/.exec((e as Error).message)?.[1];
    const k = name === 'maxEpisodes' ? 'episodes' : name === 'rewardMode' ? 'rewards' : FIELDS.find((f) => f === name);
    if (k) field(k).setAttribute('aria-invalid', 'true');
    showError(`Invalid ${k ?? 'setting'}: ${msg}`);
    throw e;
  }
}

function ratesChart(el: HTMLElement, layers: number): uPlot {
  el.replaceChildren();
  const series: uPlot.Series[] = [{ label: 'episode' }];
  for (let l = 0; l <= layers; l++) series.push({ label: l === layers ? 'output neuron' : `hidden layer ${l + 1}`, stroke: COLORS[l % COLORS.length], width: 1.5, points: { show: false } });
  return new uPlot(
    {
      width: Math.max(320, el.clientWidth),
      height: 200,
      scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [
        { label: 'episode (replica 0)', labelSize: 22, labelFont: 'bold 13px system-ui, sans-serif' },
        { label: 'fraction of steps spiking', labelSize: 22, size: 50, labelFont: 'bold 13px system-ui, sans-serif' },
      ],
      series,
      legend: { live: false },
    },
    [[]],
    el,
  );
}

/** Spikes of replica 0 for the rows its current episode has written (t < steps), neurons x time. */
function drawRaster(hist: Float32Array, steps: number, N: number, S: number): number {
  const c = $('raster') as HTMLCanvasElement;
  const g = c.getContext('2d')!;
  const T = Math.max(1, steps);
  const img = g.createImageData(T, N);
  let spikes = 0;
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      const on = t < steps && hist[t * S + 4 + n]! > 0.5;
      spikes += on ? 1 : 0;
      const o = (n * T + t) * 4;
      const v = on ? 0 : 255;
      img.data[o] = v;
      img.data[o + 1] = v;
      img.data[o + 2] = on ? 120 : 255;
      img.data[o + 3] = 255;
    }
  }
  const tmp = new OffscreenCanvas(T, N);
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.fillStyle = 'white';
  g.fillRect(0, 0, c.width, c.height);
  g.drawImage(tmp, 0, 0, c.width, c.height);
  return spikes;
}

async function run(): Promise<void> {
  let config: OttConfig;
  try {
    config = readForm();
  } catch {
    window.__ottDone = true;
    return;
  }
  window.__ottDone = false;
  window.__ottError = undefined;
  window.__ottSummary = undefined;
  const R = config.replicas;
  const NL = config.layers + 1;
  const { N, S, Tmax } = ottNetwork(config);
  const curve = new LearningCurve($('curve'), R, { title: 'Episode return per replica', yTitle: 'return (steps balanced)', window: 100 });
  const rates: number[][] = Array.from({ length: NL }, () => []);
  const rateChart = ratesChart($('rates'), config.layers);
  const { signal, gate } = controls.begin();
  let episodes = 0;
  let lastRasterSteps = 0;
  const redraw = () => {
    curve.redraw();
    curve.renderCounters($('counters').querySelector('tbody')!);
    rateChart.setData([rates[0]!.map((_, i) => i + 1), ...rates] as uPlot.AlignedData);
    $('episodes').textContent = `${episodes} / ${R * config.maxEpisodes}`;
  };
  try {
    const ctx = await gpu.get();
    $('status').textContent = 'training…';
    const summary = await trainOttCartpole(
      config,
      {
        onEpisode(m, r) {
          curve.add(r, m.return!);
          episodes++;
          if (r === 0) {
            for (let l = 0; l < NL; l++) rates[l]!.push(m[l === config.layers ? 'firing_rate_out' : `firing_rate_l${l + 1}`]!);
            $('mean').textContent = m.mean100!.toFixed(1);
          }
        },
      },
      {
        backend: 'webgpu',
        ctx,
        signal,
        stepsPerSubmit: 50,
        // before each chunk (after the first): wait for the last one and read its buffers
        async beforeChunk(chunk, exec) {
          if (chunk > 0) {
            await exec.drain();
            const rs = (await exec.read('rs')) as Uint32Array;
            const steps = rs[RS.steps * R + 0]!;
            // the rows of the episode in progress; keep the last picture while a new episode is short
            if (steps >= 8 || lastRasterSteps === 0) {
              const hist = (await exec.read('hist')) as Float32Array;
              window.__ottRasterSpikes = drawRaster(hist.subarray(0, Tmax * S), steps, N, S);
              lastRasterSteps = steps;
            }
            redraw();
          }
          await gate();
        },
      },
    );
    redraw();
    window.__ottReturns = curve.returns;
    window.__ottSummary = summary;
    $('status').textContent = summary.stopped ? 'stopped' : 'done';
  } catch (e) {
    showError(`The run failed: ${errorText(e)}`);
    $('status').textContent = 'failed';
    await gpu.dropIfBroken();
  } finally {
    controls.end();
    window.__ottDone = true;
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!controls.running) void run();
});

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  for (const k of FIELDS) field(k).value = q.get(k) ?? DEFAULTS[k];
  try {
    await gpu.get();
  } catch (e) {
    window.__ottError = errorText(e);
    window.__ottDone = true;
    return;
  }
  $<HTMLButtonElement>('start').disabled = false;
  if (q.get('autostart') !== '0') await run();
  else $('status').textContent = 'idle';
}

void main();
