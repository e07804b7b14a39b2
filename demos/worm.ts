import edgeCsv from '../data/celegans/herm_full_edgelist.csv?raw';
import transmitterCsv from '../data/celegans/transmitters.csv?raw';
import asWired from '../experiments/worm-chemotaxis.json';
import balanced from '../experiments/worm-chemotaxis-balanced.json';
import weightMax from '../experiments/worm-chemotaxis-weightmax.json';
import { ConfigError } from '../src/config/validate.ts';
import { connectomeLayer, parseConnectome, type Connectome } from '../src/connectome/celegans.ts';
import { scoreReturns } from '../src/connectome/worm-comparison.ts';
import { CHEMOTAXIS_V0, successConcentration } from '../src/envs/chemotaxis.ts';
import { buildModel } from '../src/experiment/build.ts';
import { parseExperiment } from '../src/experiment/load.ts';
import type { Experiment } from '../src/experiment/schema.ts';
import { trainExperiment } from '../src/experiment/train.ts';
import type { Executor } from '../src/run/executor.ts';
import { RunControls } from './lib/controls.ts';
import { LearningCurve } from './lib/curve.ts';
import { hostBuffers } from './lib/host-buffers.ts';
import { SpikeRaster } from './lib/raster.ts';
import { errorText, pageBackend, pageGpu } from './page-gpu.ts';
import type { WormState } from './worm-state.ts';
import { byId as $ } from './lib/dom.ts';

/**
 * The worm demo: `experiments/worm-chemotaxis-balanced.json` (the C. elegans connectome as 302
 * REINFORCE neuron-agents steering a point worm up a salt gradient, in the setting where it learns:
 * docs/worm.md), the same with Weight Max through time (`worm-chemotaxis-weightmax.json`), or the
 * as-wired `worm-chemotaxis.json` (which does not learn), trained in this tab by the
 * same loop as `hedonist run`. Draws the plane with the gradient and one replica's track, the spike
 * raster of its 302 neurons, the learning curve and counters; Start / Pause / Stop; errors on the
 * page. The connectome comes from data/celegans/ bundled into the page. Query parameters prefill the
 * form (setting, variant, backend, ticks, seed, replicas, episodes, stepsPerChunk); autostart=1 starts.
 * test/browser/demo-worm.test.ts drives it.
 */

declare global {
  interface Window {
    __worm?: WormState;
  }
}

const form = $<HTMLFormElement>('config');
const replicaSel = $<HTMLSelectElement>('replica');
const statusEl = $('status');
const errorEl = $('error');
const plane = $<HTMLCanvasElement>('plane');
const raster = new SpikeRaster($<HTMLCanvasElement>('raster'), 3);
const counters = $<HTMLTableElement>('counters').tBodies[0]!;
const NUMBERS = ['ticks', 'seed', 'replicas', 'episodes', 'stepsPerChunk'] as const;
const FIELDS = [...NUMBERS, 'setting', 'variant', 'backend'] as const;
/** The presets the page trains, by the form's `setting`. */
const PRESETS: Record<string, unknown> = { balanced, weightmax: weightMax, 'as-wired': asWired };
const presetOf = (setting: string) => PRESETS[setting] ?? balanced;
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const gpu = pageGpu({ adapter: $('adapter'), status: statusEl, error: errorEl });
const state: WormState = (window.__worm = { done: false });
const controls = new RunControls({ start: $<HTMLButtonElement>('start'), pause: $<HTMLButtonElement>('pause'), stop: $<HTMLButtonElement>('stop'), status: statusEl }, (running) => {
  for (const k of FIELDS) field(k).disabled = running;
  state.running = running;
});
$('pause').addEventListener('click', () => (state.paused = controls.paused));

let connectome: Connectome | undefined;

function showError(text: string): void {
  errorEl.textContent = text;
  errorEl.hidden = false;
  state.error = text;
}

function prefill(params: URLSearchParams): void {
  const setting = params.get('setting') ?? 'balanced';
  const x = parseExperiment(presetOf(setting));
  const w = x.population.wiring![0]! as { variant: string };
  // The balanced setting climbs after ~2000 episodes: give it 3000.
  const v: Record<string, string | number> = { ticks: x.env?.ticks ?? 1, seed: x.run.seed, replicas: 2, episodes: 3000, stepsPerChunk: 10, setting, variant: w.variant, backend: 'auto' };
  for (const k of FIELDS) field(k).value = params.get(k) ?? String(v[k]);
}

/** The experiment the form describes, its connectome generated; a bad value is shown on the page, naming its field. */
function readForm(): Experiment {
  for (const k of NUMBERS) field(k).removeAttribute('aria-invalid');
  errorEl.hidden = true;
  const num = (k: string) => JSON.stringify(Number(field(k).value.trim() === '' ? NaN : field(k).value));
  const sets = [
    `env.ticks=${num('ticks')}`,
    ...['seed', 'replicas', 'episodes', 'stepsPerChunk'].map((k) => `run.${k}=${num(k)}`),
    `run.backend=${JSON.stringify(field('backend').value)}`,
    `population.wiring.0.variant=${JSON.stringify(field('variant').value)}`,
  ];
  try {
    const x = parseExperiment(presetOf(field('setting').value), sets);
    state.preset = x.name;
    connectome ??= parseConnectome(edgeCsv, transmitterCsv);
    const w = x.population.wiring![0]!;
    if (w.kind !== 'connectome') throw new Error('the preset has no connectome wiring');
    const layer = connectomeLayer(connectome, { ...w, seed: x.run.seed });
    return { ...x, population: { ...x.population, wiring: [{ ...w, seed: x.run.seed, edges: layer.edges, neurons: layer.neurons }] } };
  } catch (e) {
    const k = e instanceof ConfigError ? NUMBERS.find((f) => e.field === `run.${f}` || e.field === `env.${f}`) : undefined;
    if (k) field(k).setAttribute('aria-invalid', 'true');
    showError(e instanceof ConfigError ? `Invalid ${k ?? e.field}: ${e.message}` : errorText(e));
    throw e;
  }
}

// ---- drawing ----

const VIEW = 2.2; // half-width of the plane drawn, in units of the gradient's width
let gradient: ImageData | undefined;

/** The gradient as a grey image (drawn once), the success and start circles, the track. */
function drawPlane(track: readonly [number, number][], label: string): void {
  const g = plane.getContext('2d')!;
  const W = plane.width,
    H = plane.height;
  const p = CHEMOTAXIS_V0;
  const toPx = (x: number, y: number): [number, number] => [((x + VIEW) / (2 * VIEW)) * W, H - ((y + VIEW) / (2 * VIEW)) * H];
  if (!gradient) {
    gradient = g.createImageData(W, H);
    for (let j = 0; j < H; j++)
      for (let i = 0; i < W; i++) {
        const x = (i / W) * 2 * VIEW - VIEW - p.peakX,
          y = VIEW - (j / H) * 2 * VIEW - p.peakY;
        const c = Math.exp(-(x * x + y * y) / (2 * p.sigma * p.sigma));
        const o = 4 * (j * W + i);
        gradient.data[o] = 255 - 120 * c;
        gradient.data[o + 1] = 255 - 70 * c;
        gradient.data[o + 2] = 255 - 20 * c;
        gradient.data[o + 3] = 255;
      }
  }
  g.putImageData(gradient, 0, 0);
  const [cx, cy] = toPx(p.peakX, p.peakY);
  const circle = (r: number, dash: number[], color: string) => {
    g.setLineDash(dash);
    g.strokeStyle = color;
    g.beginPath();
    g.arc(cx, cy, (r / (2 * VIEW)) * W, 0, 2 * Math.PI);
    g.stroke();
    g.setLineDash([]);
  };
  circle(p.successRadius, [5, 4], '#1f5fbf');
  circle(p.startDistance, [2, 5], '#999');
  g.fillStyle = '#1f5fbf';
  g.fillRect(cx - 2, cy - 2, 4, 4);
  // A worm that wandered off the drawn plane (100 moves can take it 5 gradient widths) is drawn on
  // the plane's edge, so its track and position never vanish.
  const edge = (v: number, n: number) => Math.min(Math.max(v, 4), n - 4);
  const trackPx = (x: number, y: number): [number, number] => {
    const [i, j] = toPx(x, y);
    return [edge(i, W), edge(j, H)];
  };
  for (let k = 1; k < track.length; k++) {
    const [x0, y0] = trackPx(...track[k - 1]!),
      [x1, y1] = trackPx(...track[k]!);
    g.strokeStyle = `rgba(200, 40, 20, ${(0.25 + (0.75 * k) / track.length).toFixed(2)})`;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(x0, y0);
    g.lineTo(x1, y1);
    g.stroke();
  }
  g.lineWidth = 1;
  if (track.length) {
    const [x, y] = trackPx(...track[track.length - 1]!);
    g.fillStyle = '#b01010';
    g.beginPath();
    g.arc(x, y, 4, 0, 2 * Math.PI);
    g.fill();
  }
  g.fillStyle = '#222';
  g.font = '12px system-ui, sans-serif';
  g.fillText(label, 8, 16);
  g.fillText('peak', cx + 6, cy - 6);
}

// ---- a run ----

async function run(): Promise<void> {
  let x: Experiment;
  try {
    x = readForm();
  } catch {
    state.done = true;
    return;
  }
  Object.assign(state, { done: false, error: undefined, summary: undefined, frames: 0, spikes: 0, trackPoints: 0 });
  const R = x.run.replicas;
  replicaSel.replaceChildren(...Array.from({ length: R }, (_, r) => new Option(`${r}`, `${r}`)));
  const curve = new LearningCurve($('chart'), R, { title: `worm-chemotaxis (${field('variant').value}): return per episode = 100 x concentration gained`, yTitle: 'episode return' });
  state.episodes = curve.returns.map(() => 0);
  raster.clear();
  const { signal, gate } = controls.begin();
  statusEl.textContent = 'starting…';
  const track: [number, number][] = [];
  let trackEpisode = -1,
    trackReplica = -1;
  let lastDraw = 0,
    frames = 0,
    framesTotal = 0,
    fpsT0 = performance.now(),
    rateT0 = performance.now(),
    rateSteps = 0;
  const frame = async (exec: Executor) => {
    const replica = Math.min(Number(replicaSel.value) || 0, R - 1);
    const get = await hostBuffers(exec, ['env.state', 'env.counters', 'act-a']);
    const st = get('env.state'),
      ct = get('env.counters'),
      act = get('act-a');
    const episode = Number(ct[R + replica]);
    if (episode !== trackEpisode || replica !== trackReplica) track.length = 0;
    trackEpisode = episode;
    trackReplica = replica;
    track.push([Number(st[replica]), Number(st[R + replica])]);
    drawPlane(track, `replica ${replica}, episode ${episode}, step ${Number(ct[replica])}`);
    // The activity row: [2 observations | last step's 302 spikes | sentinel | this step's 302 spikes].
    const S = act.length / R;
    const spikes = Float32Array.from({ length: 302 }, (_, i) => Number(act[replica * S + S - 302 + i]));
    raster.push(spikes);
    frames++;
    state.frames = ++framesTotal;
    state.spikes = raster.spikes;
    state.trackPoints = track.length;
    const now = performance.now();
    if (now - fpsT0 > 1000) {
      $('fps').textContent = ((frames * 1000) / (now - fpsT0 + 1e-9)).toFixed(1);
      $('rate').textContent = (((exec.stepCount - rateSteps) * 1000) / (now - rateT0)).toFixed(0);
      fpsT0 = rateT0 = now;
      frames = 0;
      rateSteps = exec.stepCount;
    }
    $('steps').textContent = exec.stepCount.toLocaleString();
    curve.redraw();
    curve.renderCounters(counters, replica);
    showScores();
  };
  const showScores = () => {
    const recent = curve.returns.flatMap((r) => r.slice(-20));
    $('progress').textContent = `${curve.returns.reduce((s, r) => s + r.length, 0).toLocaleString()} / ${(R * x.run.episodes).toLocaleString()}`;
    if (!recent.length) return;
    const s = scoreReturns(recent, recent.length, 'last');
    $('conc').textContent = `${s.concentration.toFixed(3)} (start 0.325)`;
    $('reached').textContent = `${(100 * s.success).toFixed(0)}% (C ≥ ${successConcentration().toFixed(3)})`;
    state.concentration = s.concentration;
  };
  try {
    const { ctx, choice } = await pageBackend(x.run.backend, gpu, errorEl);
    state.backend = choice.backend;
    $('backend').textContent = `${choice.backend} (${choice.reason})`;
    const model = buildModel(x);
    statusEl.textContent = 'training…';
    const r = await trainExperiment(x, {
      ctx,
      choice,
      model,
      signal,
      sink: {
        write(m) {
          const ret = m['charts/episodic_return'];
          if (typeof m.replica === 'number' && typeof ret === 'number') {
            curve.add(m.replica, ret);
            state.episodes![m.replica] = (state.episodes![m.replica] ?? 0) + 1;
          }
        },
        flush: () => 0,
      },
      async beforeChunk(_chunk, exec) {
        if (controls.paused) {
          await frame(exec);
          await gate();
        }
        const now = performance.now();
        if (now - lastDraw > 50) {
          lastDraw = now;
          await frame(exec);
        }
      },
    });
    curve.redraw();
    curve.renderCounters(counters, Math.min(Number(replicaSel.value) || 0, R - 1)); // the last chunk's episodes too
    showScores();
    state.summary = { ...(r.summary as Record<string, unknown>), backend: r.backend, wallSeconds: r.wallSeconds, envSteps: r.envSteps, stopped: r.stopped ?? false };
    statusEl.textContent = r.stopped ? `stopped at step ${r.envSteps}` : 'done';
  } catch (e) {
    showError(`The run failed: ${errorText(e)}`);
    statusEl.textContent = 'failed';
    await gpu.dropIfBroken();
  } finally {
    controls.end();
    state.paused = false;
    state.done = true;
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!controls.running) void run();
});
for (const k of NUMBERS) field(k).addEventListener('input', () => field(k).removeAttribute('aria-invalid'));

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  prefill(params);
  drawPlane([], 'press Start');
  // Ask for WebGPU up front only to name the adapter; a page without it still runs the CPU twins.
  await gpu.get().catch(() => (errorEl.hidden = true));
  $<HTMLButtonElement>('start').disabled = false;
  if (params.get('autostart') === '1') await run();
  else state.done = true;
}

void main();
