import { simulate } from '../../src/chalk/dynamics.ts';
import type { Experiment } from '../../src/experiment/schema.ts';
import type { CodingCostModel } from '../../src/rules/coding-cost.ts';
import type { Executor } from '../../src/run/executor.ts';
import type { Model } from '../../src/run/model.ts';
import { ReplicaProbe } from '../lib/probe.ts';
import { RateImage } from '../lib/rate-image.ts';
import { SpikeRaster } from '../lib/raster.ts';

/** Raster rows (the first units). */
const RASTER_UNITS = 192;
/** Units in the firing-rate image (the first ones). */
const IMAGE_UNITS = 1 << 16;
/** Steps of the spike train sampled from a solved Chalk policy. */
const CHALK_TRAIN_STEPS = 4000;

/** What the page exposes to tests about the two canvases. */
export interface ActivityStats {
  columns: number;
  spikes: number;
  lit: number;
  units: number;
}

/**
 * The network's activity in the playground, for every family: a spike raster (replica 0's units,
 * one column per chunk, through demos/lib's ReplicaProbe and SpikeRaster, as the watch page draws
 * them) and a firing-rate image (demos/lib's RateImage, one pixel per unit, the running rate over
 * chunks). Chalk's exact solvers take no steps: after the run the solved policy is run as the
 * network (src/chalk/dynamics.ts `simulate`, chain 0), one raster column per step, and the image is
 * each neuron's firing rate under each input (a row per input).
 */
export class ActivityView {
  private readonly raster: SpikeRaster;
  private probe?: ReplicaProbe;
  private image?: RateImage;
  private lit = 0;
  private columns = 0;

  constructor(
    rasterCanvas: HTMLCanvasElement,
    private readonly rateCanvas: HTMLCanvasElement,
    private readonly caption: HTMLElement,
  ) {
    this.raster = new SpikeRaster(rasterCanvas, 2);
  }

  get stats(): ActivityStats {
    return { columns: this.columns, spikes: this.raster.spikes, lit: this.lit, units: this.image?.units ?? 0 };
  }

  /** Before a run: the probe for this model, blank canvases, the caption. */
  start(model: Model, x: Experiment): void {
    this.raster.clear();
    this.columns = this.lit = 0;
    this.probe = new ReplicaProbe(model, x, IMAGE_UNITS);
    const units = this.probe.activityUnits;
    this.image = units ? new RateImage(units, this.rateCanvas) : undefined;
    if (!units) {
      const g = this.rateCanvas.getContext('2d')!;
      g.fillStyle = '#000';
      g.fillRect(0, 0, this.rateCanvas.width, this.rateCanvas.height);
    }
    this.caption.textContent = units
      ? `Replica 0: ${this.probe.activityLabel}. Raster: the first ${Math.min(units, RASTER_UNITS)} units, one column per chunk of up to ${x.run.stepsPerChunk} steps (dark = spike). Image: ${units} units, one pixel each, their running firing rate (black 0, white 1).`
      : model.kind === 'coding-cost'
        ? 'The exact solver takes no steps: the solved network is sampled when it ends.'
        : 'This model has no agents that spike (gradient descent trains the weights directly).';
  }

  /** Between chunks: read replica 0's units and draw them. */
  async frame(exec: Executor): Promise<void> {
    if (!this.probe?.activityUnits || !this.image) return;
    const { activity } = await this.probe.read(exec, 0);
    if (!activity) return;
    this.raster.push(activity.subarray(0, RASTER_UNITS));
    this.image.fold(activity);
    this.lit = this.image.draw().lit;
    this.columns++;
  }

  /** After the run: a Chalk model's solved network, run as a spike train, when nothing was drawn live. */
  finish(model: Model, x: Experiment): void {
    const t = (model as CodingCostModel).trained;
    if (model.kind !== 'coding-cost' || this.columns > 0 || !t?.problem || !t.piOne) return;
    const p = t.problem;
    const n = p.neurons;
    const train = simulate(p, t.piOne, { steps: CHALK_TRAIN_STEPS, seed: x.run.seed });
    // One column short of the width: the raster scrolls once it is full.
    const visible = Math.min(train.steps, this.raster.capacity - 1);
    for (let s = train.steps - visible; s < train.steps; s++) this.raster.push(train.sigma.subarray(s * n, (s + 1) * n));
    const sum = new Float64Array(p.inputs * n);
    const visits = new Float64Array(p.inputs);
    for (let s = 0; s < train.steps; s++) {
      const xi = train.input[s]!;
      visits[xi]!++;
      for (let i = 0; i < n; i++) sum[xi * n + i]! += train.sigma[s * n + i]!;
    }
    this.image = new RateImage(p.inputs * n, this.rateCanvas, n);
    this.image.set(Array.from(sum, (v, k) => (visits[Math.floor(k / n)]! > 0 ? v / visits[Math.floor(k / n)]! : 0)));
    this.lit = this.image.draw().lit;
    this.columns = visible;
    this.caption.textContent = `The solved network of ${n} neuron-agents run for ${train.steps} steps (chain 0, seed ${x.run.seed}). Raster: its last ${visible} steps, one row per neuron (dark = active). Image: each neuron's (column) firing rate under each input (row: ${p.inputLabels.join(', ')}).`;
  }
}
