import { createBrowserGpu } from '../src/gpu/browser.ts';
import { resolveOttConfig, type OttPolicyKind, type OttRewardMode } from '../src/ott/config.ts';
import { ottNetwork, RS } from '../src/ott/network.ts';
import { trainOttCartpole, type OttTrainSummary } from '../src/ott/trainer.ts';

/**
 * Live Ott demo: trains on this page's WebGPU (the Ott step program on the GPU executor); draws the
 * learning curve, a spike raster of replica 0's latest episode (read back after each chunk) and
 * per-layer firing rates.
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

const $ = (id: string) => document.getElementById(id)!;
const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
const config = resolveOttConfig({
  layers: num('layers', 1),
  rewardMode: (q.get('rewards') ?? 'all') as OttRewardMode,
  policy: (q.get('policy') ?? 'mlp') as OttPolicyKind,
  replicas: num('replicas', 4),
  seed: num('seed', 0),
  maxEpisodes: num('episodes', 2000),
});
const R = config.replicas;
const NL = config.layers + 1;
const { N, S, Tmax } = ottNetwork(config);
const returns: number[][] = Array.from({ length: R }, () => []);
const rates: number[][] = Array.from({ length: NL }, () => []);
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

function drawCurve(): void {
  const c = $('curve') as HTMLCanvasElement;
  const g = c.getContext('2d')!;
  g.fillStyle = 'white';
  g.fillRect(0, 0, c.width, c.height);
  const E = Math.max(10, ...returns.map((r) => r.length));
  const x = (e: number) => 30 + ((c.width - 40) * e) / E;
  const y = (v: number) => c.height - 20 - ((c.height - 30) * v) / 500;
  g.strokeStyle = '#999';
  g.strokeRect(30, 10, c.width - 40, c.height - 30);
  g.fillStyle = '#444';
  g.fillText('500', 2, 14);
  g.fillText('0', 18, c.height - 20);
  g.fillText(`episode ${E}`, c.width - 80, c.height - 5);
  const line = (pts: number[], color: string, width: number) => {
    g.strokeStyle = color;
    g.lineWidth = width;
    g.beginPath();
    pts.forEach((v, i) => (i ? g.lineTo(x(i), y(v)) : g.moveTo(x(i), y(v))));
    g.stroke();
  };
  line(returns[0]!, '#1f77b4', 1);
  const n = Math.min(...returns.map((r) => r.length));
  line(Array.from({ length: n }, (_, i) => returns.reduce((s, r) => s + r[i]!, 0) / R), '#d62728', 2);
}

function drawRates(): void {
  const c = $('rates') as HTMLCanvasElement;
  const g = c.getContext('2d')!;
  g.fillStyle = 'white';
  g.fillRect(0, 0, c.width, c.height);
  const E = Math.max(10, rates[0]!.length);
  rates.forEach((r, l) => {
    g.strokeStyle = COLORS[l % COLORS.length]!;
    g.beginPath();
    r.forEach((v, i) => {
      const px = 30 + ((c.width - 40) * i) / E;
      const py = c.height - 10 - (c.height - 20) * v;
      if (i) g.lineTo(px, py);
      else g.moveTo(px, py);
    });
    g.stroke();
    g.fillStyle = g.strokeStyle;
    g.fillText(l === config.layers ? 'output' : `layer ${l + 1}`, 2 + 60 * l, 10);
  });
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

async function main(): Promise<void> {
  try {
    const ctx = await createBrowserGpu();
    $('adapter').textContent = ctx.adapterName();
    $('status').textContent = 'training';
    let episodes = 0;
    let lastRasterSteps = 0;
    const summary = await trainOttCartpole(
      config,
      {
        onEpisode(m, r) {
          returns[r]!.push(m.return!);
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
        stepsPerSubmit: 50,
        // before each chunk (after the first): wait for the last one and read its buffers
        async beforeChunk(chunk, exec) {
          if (chunk === 0) return;
          await exec.drain();
          const rs = (await exec.read('rs')) as Uint32Array;
          const steps = rs[RS.steps * R + 0]!;
          // the rows of the episode in progress; keep the last picture while a new episode is short
          if (steps >= 8 || lastRasterSteps === 0) {
            const hist = (await exec.read('hist')) as Float32Array;
            window.__ottRasterSpikes = drawRaster(hist.subarray(0, Tmax * S), steps, N, S);
            lastRasterSteps = steps;
          }
          $('episodes').textContent = String(episodes);
          drawCurve();
          drawRates();
        },
      },
    );
    drawCurve();
    drawRates();
    window.__ottReturns = returns;
    window.__ottSummary = summary;
    $('status').textContent = 'done';
  } catch (e) {
    window.__ottError = e instanceof Error ? e.message : String(e);
    $('error').textContent = window.__ottError;
    $('error').hidden = false;
    $('status').textContent = 'failed';
  } finally {
    window.__ottDone = true;
  }
}

void main();
