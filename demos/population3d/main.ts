import preset from '../../experiments/chung-million.json';
import { errorText, pageGpu } from '../page-gpu.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';
import { millionConfig } from '../../src/learners/chung-multiplexer/index.ts';
import type { GpuExecutor } from '../../src/run/executor-gpu.ts';
import { muxExperiment } from '../../src/rules/weight-max-sparse.ts';
import { PopulationRenderer } from './renderer.ts';
import { byId as $ } from '../lib/dom.ts';

/**
 * The million-agent preset (experiments/chung-million.json) training on this page's WebGPU, its big
 * layer drawn in 3D: one point per neuron-agent on a cube grid, coloured by its firing probability.
 * When a chunk's metrics are back, the trainer's `layer.1.mean` buffer is copied into the renderer's
 * on the GPU (no readback), so drawing keeps up with training at any size; the page shows the frames per
 * second it measures. Query params: units (the big layer; the size-dependent numbers follow
 * millionConfig, as `hedonist train million --units` does), episodes, seed, autostart=1.
 * test/browser/population3d.test.ts drives it.
 */

interface Pop3dHook {
  state: 'idle' | 'running' | 'done' | 'stopped' | 'failed';
  units: number;
  frames: number;
  fps: number;
  copies: number;
  episodes: number;
  error?: string;
}

declare global {
  interface Window {
    __pop3d?: Pop3dHook;
  }
}

const canvas = $<HTMLCanvasElement>('view');
const startBtn = $<HTMLButtonElement>('start');
const stopBtn = $<HTMLButtonElement>('stop');
const statusEl = $('status');
const fpsEl = $('fps');
const episodesEl = $('episodes');
const rewardEl = $('reward');
const errorEl = $('error');
const params = new URLSearchParams(location.search);
const PRESET_UNITS = preset.population.hidden[1]!;

function intParam(name: string, dflt: number, lo: number, hi: number): number {
  const raw = params.get(name);
  if (raw === null) return dflt;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in [${lo}, ${hi}], got ${raw}`);
  return v;
}

/** The preset at `units` neuron-agents: its size-dependent numbers (rates, temperatures, bias) as millionConfig sets them. */
function experiment(units: number, episodes: number, seed: number): unknown {
  const x = structuredClone(preset) as typeof preset & { run: Record<string, unknown> };
  if (units !== PRESET_UNITS) {
    const scaled = muxExperiment(millionConfig({ units, episodes, seed }), 'webgpu');
    x.population.hidden = [...scaled.population.hidden];
    Object.assign(x.rule, { lr: scaled.rule.lr, temp: scaled.rule.temp, biasInit: scaled.rule.biasInit });
  }
  x.run = { ...x.run, episodes, seed, backend: 'webgpu' };
  return x;
}

const hook: Pop3dHook = (window.__pop3d = { state: 'idle', units: 0, frames: 0, fps: 0, copies: 0, episodes: 0 });
const gpu = pageGpu({ adapter: $('adapter'), status: statusEl, error: errorEl });
let renderer: PopulationRenderer | undefined;
let controller: AbortController | undefined;

/** Draw on every animation frame the last frame is back by; frames per second over the last second of frames shown. */
function animate(): void {
  const stamps: number[] = [];
  const frame = async (): Promise<void> => {
    const shown = await renderer?.draw().catch((e: unknown) => {
      console.error('population3d draw:', errorText(e));
      return false;
    });
    if (shown) countFrame(performance.now());
    requestAnimationFrame(() => void frame());
  };
  const countFrame = (t: number): void => {
    hook.frames++;
    stamps.push(t);
    // The frames of the last second (at least the last two: a large population on a software GPU takes longer per frame).
    while (stamps.length > 2 && t - stamps[0]! > 1000) stamps.shift();
    if (stamps.length > 1) {
      hook.fps = ((stamps.length - 1) * 1000) / (t - stamps[0]!);
      fpsEl.textContent = hook.fps >= 10 ? hook.fps.toFixed(1) : hook.fps.toPrecision(2);
    }
  };
  requestAnimationFrame(() => void frame());
}

async function run(): Promise<void> {
  let units: number, episodes: number, seed: number;
  try {
    units = intParam('units', PRESET_UNITS, 1, 1 << 22);
    episodes = intParam('episodes', preset.run.episodes, 1, 1_000_000);
    seed = intParam('seed', preset.run.seed, 0, 2 ** 32 - 1);
  } catch (e) {
    hook.error = errorText(e);
    errorEl.textContent = hook.error;
    errorEl.hidden = false;
    hook.state = 'failed';
    return;
  }
  controller = new AbortController();
  startBtn.disabled = true;
  stopBtn.disabled = false;
  Object.assign(hook, { state: 'running', units, episodes: 0, copies: 0, error: undefined });
  $('units').textContent = units.toLocaleString();
  let sum = 0;
  let exec: GpuExecutor | undefined;
  try {
    const ctx = await gpu.get();
    renderer?.destroy();
    renderer = new PopulationRenderer(ctx.device, canvas, units);
    statusEl.textContent = `building ${units.toLocaleString()} neuron-agents…`;
    const r = await trainExperiment(parseExperiment(experiment(units, episodes, seed)), {
      ctx,
      choice: { backend: 'webgpu', reason: "the view draws from this page's WebGPU" },
      signal: controller.signal,
      sink: {
        write(m) {
          hook.episodes++;
          sum += m['charts/episodic_return'] as number;
          episodesEl.textContent = `${hook.episodes} / ${episodes}`;
          rewardEl.textContent = (sum / hook.episodes).toFixed(3);
          statusEl.textContent = 'training…';
        },
        flush: () => 0,
      },
      beforeChunk(_chunk, e) {
        exec = e as GpuExecutor;
      },
      // A chunk's metrics are back: its firing probabilities (or a later chunk's) go to the view, GPU to GPU.
      onProgress() {
        renderer!.copyFrom(exec!.buffers['layer.1.mean']!);
        hook.copies++;
      },
    });
    hook.state = r.stopped ? 'stopped' : 'done';
    statusEl.textContent = `${hook.state}: ${hook.episodes} episodes in ${r.wallSeconds.toFixed(1)} s on ${r.adapter}`;
  } catch (e) {
    hook.error = errorText(e);
    hook.state = 'failed';
    errorEl.textContent = `Training failed: ${hook.error}`;
    errorEl.hidden = false;
    statusEl.textContent = 'failed';
    await gpu.dropIfBroken();
  } finally {
    startBtn.disabled = false;
    stopBtn.disabled = true;
  }
}

startBtn.addEventListener('click', () => void run());
stopBtn.addEventListener('click', () => controller?.abort());
animate();
if (params.get('autostart') === '1') void run();
else
  void gpu.get().then(
    () => (startBtn.disabled = false),
    () => {},
  );
