import { REINFORCE_RECORD, REINFORCE_UPDATE, REINFORCE_WEIGHT_MAX, type UpdateOpLayout } from '../kernels/reinforce.ts';
import type { WeightMaxLayout } from '../kernels/reinforce-cpu.ts';
import type { RecordLayout, UpdateLayout } from '../kernels/reinforce-cpu.ts';
import type { LogisticPopulation } from '../population/logistic.ts';
import type { MetricsDecoder, MetricsRecord } from '../run/model.ts';
import type { BufferDecl, Op } from '../run/program.ts';

/** Episodes each replica may finish between two metrics readbacks before the log ring overflows. */
export const EPISODE_LOG_CAP = 256;

/** The broadcast-reward REINFORCE rule's settings (every neuron its own Adam optimiser). */
export interface ReinforceSettings {
  lr: number;
  gamma: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/**
 * Per-neuron REINFORCE on the broadcast task reward: every step is recorded into each replica's
 * trajectory; at a replica's own episode end every neuron ascends sum_t A_t (s_t - p_t) x_t of its
 * standardised discounted returns with its own Adam. The layer-0 update appends the episode return
 * to the episode log `metrics` ([count x R | return bits x R x cap]).
 */
export function reinforceBuffers(p: LogisticPopulation, horizon: number, neuronRewards = false): BufferDecl[] {
  const { R, S, P } = p;
  return [
    { name: 'traj', type: 'f32', length: R * horizon * (S + P + (neuronRewards ? P : 0)) },
    ...(neuronRewards ? [] : [{ name: 'neuron-reward', type: 'f32', length: 4, scratch: true } satisfies BufferDecl]),
    { name: 'episode-rewards', type: 'f32', length: R * horizon },
    { name: 'metrics', type: 'u32', length: R + R * EPISODE_LOG_CAP },
    ...p.layers.flatMap((l, i): BufferDecl[] => [
      { name: `adam-${i}`, type: 'f32', length: 2 * R * (l.fanIn + 1) * l.neurons },
      { name: `adam-step-${i}`, type: 'u32', length: R * l.neurons },
    ]),
  ];
}

/**
 * Weight Max through time on the population's one recurrent layer (a connectome): its first
 * `motors` neurons are the motor outputs, neuron j's previous spike is input column `recCol + j`,
 * and `outStart` / `outSyn` name the buffers of its outgoing synapses (reinforceWeightMaxCpu).
 */
export interface RecurrentWeightMax {
  motors: number;
  recCol: number;
  outStart: string;
  outSyn: string;
}

/**
 * The record op (after the env step) and one update op per layer. With `neuronRewards` every
 * neuron learns from its own reward (`neuron-reward`, written by the reward terms, recorded after
 * the probability row); else all from the broadcast env reward. With `wm` (and `neuronRewards`),
 * reinforce-weight-max turns the recorded rewards into each step's learning signal first and the
 * update reads it directly.
 */
export function reinforceOps(p: LogisticPopulation, horizon: number, s: ReinforceSettings, neuronRewards = false, wm?: RecurrentWeightMax): Op[] {
  const { R, S, P } = p;
  const record: RecordLayout = { replicas: R, actStride: S, probStride: P, horizon, ...(neuronRewards ? { neuronRewards: P } : {}) };
  const updates = p.layers.map((l, i): Op => {
    const layout: UpdateLayout = {
      replicas: R,
      neurons: l.neurons,
      fanIn: l.fanIn,
      horizon,
      rowWidth: S + P + (neuronRewards ? P : 0),
      inCol: l.inOffset,
      spikeCol: l.outOffset,
      probCol: S + l.probOffset,
      writeMetrics: i === 0 ? 1 : 0,
      metricsCap: EPISODE_LOG_CAP,
      ...s,
      ...(neuronRewards ? { rewardCol: S + P + l.probOffset } : {}),
      ...(wm ? { direct: 1 } : {}),
    };
    return {
      kernel: REINFORCE_UPDATE,
      layout: { update: layout, sparse: l.sparse } satisfies UpdateOpLayout,
      bind: {
        counters: 'env.counters',
        traj: 'traj',
        rewards: 'episode-rewards',
        theta: `theta-${i}`,
        adam: `adam-${i}`,
        adamStep: `adam-step-${i}`,
        metrics: 'metrics',
        fanInIndex: l.sparse ? `fan-in-${i}` : 'fan-in-dense',
      },
    };
  });
  return [
    {
      kernel: REINFORCE_RECORD,
      layout: record,
      bind: { counters: 'env.counters', act: ['act-a', 'act-b'], prob: 'prob', reward: 'env.reward', traj: 'traj', rewards: 'episode-rewards', neuronReward: 'neuron-reward' },
    },
    ...(wm ? [weightMaxOp(p, horizon, s, wm)] : []),
    ...updates,
  ];
}

/** The reinforce-weight-max op over the population's one (recurrent) layer. */
function weightMaxOp(p: LogisticPopulation, horizon: number, s: ReinforceSettings, wm: RecurrentWeightMax): Op {
  if (p.layers.length !== 1) throw new RangeError(`Weight Max through time needs one recurrent layer, got ${p.layers.length}`);
  const l = p.layers[0]!;
  const layout: WeightMaxLayout = {
    replicas: p.R,
    neurons: l.neurons,
    fanIn: l.fanIn,
    horizon,
    rowWidth: p.S + 2 * p.P,
    inCol: l.inOffset,
    recCol: wm.recCol,
    spikeCol: l.outOffset,
    probCol: p.S + l.probOffset,
    rewardCol: p.S + p.P + l.probOffset,
    motors: wm.motors,
    gamma: s.gamma,
  };
  return { kernel: REINFORCE_WEIGHT_MAX, layout, bind: { counters: 'env.counters', traj: 'traj', theta: 'theta-0', outStart: wm.outStart, outSyn: wm.outSyn } };
}

/**
 * Decodes the episode log as readbacks arrive: per replica, episode by episode, keeping the first
 * `episodes`; throws if a replica finished more than the ring holds between two readbacks.
 */
export class EpisodeLog implements MetricsDecoder {
  returns: number[][];
  private seen: number[];
  constructor(
    readonly replicas: number,
    readonly episodes: number,
    readonly cap = EPISODE_LOG_CAP,
  ) {
    this.returns = Array.from({ length: replicas }, () => []);
    this.seen = new Array(replicas).fill(0);
  }

  ingest(words: Uint32Array, emit: (r: MetricsRecord) => void): void {
    const R = this.replicas;
    const asF32 = new Float32Array(words.buffer, words.byteOffset, words.length);
    for (let r = 0; r < R; r++) {
      const count = words[r]!;
      if (count - this.seen[r]! > this.cap) {
        throw new Error(`episode log overflow: replica ${r} finished ${count - this.seen[r]!} episodes between readbacks (cap ${this.cap}); lower run.stepsPerChunk`);
      }
      for (let e = this.seen[r]!; e < count; e++) {
        if (this.returns[r]!.length >= this.episodes) break;
        const ret = asF32[R + r * this.cap + (e % this.cap)]!;
        this.returns[r]!.push(ret);
        emit({ 'charts/episodic_return': ret, replica: r, episode: e });
      }
      this.seen[r] = count;
    }
  }

  get done(): boolean {
    return this.returns.every((x) => x.length >= this.episodes);
  }

  progress() {
    const done = this.returns.reduce((s, x) => s + x.length, 0);
    const recent = this.returns.flatMap((x) => x.slice((-100 / this.replicas) | 0 || -1));
    return { done, total: this.replicas * this.episodes, label: { 'return(recent)': mean(recent) }, unit: 'episodes' };
  }

  save(): unknown {
    return { returns: this.returns, seen: this.seen };
  }

  load(s: unknown): void {
    const st = s as { returns: number[][]; seen: number[] };
    this.returns = st.returns.map((x) => [...x]);
    this.seen = [...st.seen];
  }
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}
