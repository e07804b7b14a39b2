import { ConfigError, checkInt, checkNumber } from '../config/validate.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';

/**
 * Fixed fan-in connectivity: neuron n receives K synapses from presynaptic units index[k * N + n]
 * (k-major, the layout shaders/spike-sample.wgsl reads). Padding slots of neurons with fewer than
 * K inputs point at `presynaptic` itself: one always-zero input slot after the real ones, so a padded
 * synapse carries nothing and its gradient (proportional to its input) is always 0.
 */
export interface FanIn {
  neurons: number;
  fanIn: number;
  /** Number of real presynaptic units; slot `presynaptic` is the zero sentinel. */
  presynaptic: number;
  index: Uint32Array;
  /** Initial weights from a file, [K, N] k-major (edge lists only). */
  weight?: Float32Array;
  /** +1 excitatory / -1 inhibitory per presynaptic unit (Dale's law), if any. */
  sign?: Int8Array;
}

/** K distinct presynaptic units per neuron, uniformly at random (with replacement only when K > presynaptic). */
export function randomFanIn(seed: number, neurons: number, fanIn: number, presynaptic: number): FanIn {
  checkInt('neurons', neurons, 1, 2 ** 28);
  checkInt('fanIn', fanIn, 1, 4096);
  checkInt('presynaptic', presynaptic, 1, 2 ** 30);
  const index = new Uint32Array(fanIn * neurons);
  const distinct = fanIn <= presynaptic;
  const picked = new Set<number>();
  for (let n = 0; n < neurons; n++) {
    const rng = new CounterRng(seed, Stream.wiring, n);
    picked.clear();
    for (let k = 0; k < fanIn; k++) {
      let j = rng.int(presynaptic);
      // Rejection keeps the K inputs distinct; cheap while K << presynaptic, bounded otherwise.
      for (let tries = 0; distinct && picked.has(j) && tries < 64; tries++) j = rng.int(presynaptic);
      if (distinct && picked.has(j)) for (j = 0; picked.has(j); j++);
      picked.add(j);
      index[k * neurons + n] = j;
    }
  }
  return { neurons, fanIn, presynaptic, index };
}

/**
 * Local (topographic) fan-in: neuron n sits at position n * presynaptic / neurons on a ring of
 * presynaptic units and receives the K units centred there.
 */
export function localFanIn(neurons: number, fanIn: number, presynaptic: number): FanIn {
  checkInt('neurons', neurons, 1, 2 ** 28);
  checkInt('fanIn', fanIn, 1, Math.min(4096, presynaptic));
  checkInt('presynaptic', presynaptic, 1, 2 ** 30);
  const index = new Uint32Array(fanIn * neurons);
  const half = Math.floor(fanIn / 2);
  for (let n = 0; n < neurons; n++) {
    const centre = Math.floor((n * presynaptic) / neurons);
    for (let k = 0; k < fanIn; k++) index[k * neurons + n] = (((centre - half + k) % presynaptic) + presynaptic) % presynaptic;
  }
  return { neurons, fanIn, presynaptic, index };
}

/**
 * Parse an edge list: one synapse per line, `pre post [weight [sign]]`, separated by spaces, tabs
 * or commas; `#` starts a comment. Indices are 0-based. K is the largest in-degree (or `fanIn`);
 * shorter neurons are padded with the zero sentinel. `sign` (+1/-1, or E/I) must agree for every
 * synapse of the same presynaptic unit (Dale's law). Errors name the line and the problem.
 */
export function fanInFromEdgeList(text: string, o: { neurons: number; presynaptic: number; fanIn?: number }): FanIn {
  const { neurons, presynaptic } = o;
  checkInt('neurons', neurons, 1, 2 ** 28);
  checkInt('presynaptic', presynaptic, 1, 2 ** 30);
  const edges: { pre: number; post: number; w: number }[] = [];
  const signs = new Map<number, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const f = line.split(/[\s,]+/);
    const where = `edge list line ${i + 1}`;
    if (f.length < 2 || f.length > 4) throw new ConfigError('edges', `${where}: expected 'pre post [weight [sign]]', got ${f.length} fields`);
    const pre = Number(f[0]),
      post = Number(f[1]);
    if (!Number.isInteger(pre) || pre < 0 || pre >= presynaptic) throw new ConfigError('edges', `${where}: pre must be an integer in [0, ${presynaptic - 1}], got '${f[0]}'`);
    if (!Number.isInteger(post) || post < 0 || post >= neurons) throw new ConfigError('edges', `${where}: post must be an integer in [0, ${neurons - 1}], got '${f[1]}'`);
    const w = f[2] === undefined ? NaN : Number(f[2]);
    if (f[2] !== undefined && !Number.isFinite(w)) throw new ConfigError('edges', `${where}: weight must be a finite number, got '${f[2]}'`);
    if (f[3] !== undefined) {
      const s = { '1': 1, '+1': 1, E: 1, e: 1, '-1': -1, I: -1, i: -1 }[f[3]];
      if (s === undefined) throw new ConfigError('edges', `${where}: sign must be +1, -1, E or I, got '${f[3]}'`);
      const prev = signs.get(pre);
      if (prev !== undefined && prev !== s) throw new ConfigError('edges', `${where}: presynaptic ${pre} is both excitatory and inhibitory (Dale's law)`);
      signs.set(pre, s);
    }
    edges.push({ pre, post, w });
  });
  if (!edges.length) throw new ConfigError('edges', 'edge list has no synapses');
  const degree = new Uint32Array(neurons);
  for (const e of edges) degree[e.post]!++;
  const maxDeg = Math.max(...degree);
  const K = o.fanIn ?? maxDeg;
  if (maxDeg > K) throw new ConfigError('fanIn', `fanIn ${K} is below the largest in-degree ${maxDeg} in the edge list`);
  const index = new Uint32Array(K * neurons).fill(presynaptic);
  const hasWeights = edges.some((e) => !Number.isNaN(e.w));
  const weight = hasWeights ? new Float32Array(K * neurons) : undefined;
  const slot = new Uint32Array(neurons);
  for (const e of edges) {
    const k = slot[e.post]!++;
    index[k * neurons + e.post] = e.pre;
    if (weight) weight[k * neurons + e.post] = Number.isNaN(e.w) ? 0 : e.w;
  }
  let sign: Int8Array | undefined;
  if (signs.size) {
    sign = new Int8Array(presynaptic).fill(1);
    for (const [p, s] of signs) sign[p] = s;
  }
  return { neurons, fanIn: K, presynaptic, index, weight, sign };
}

/**
 * Outgoing view of a fan-in (CSR over presynaptic units): the synapses leaving unit j are
 * synapse[offset[j] .. offset[j+1]), each a slot id k * N + n. Rules that need per-neuron sums over
 * outgoing synapses (Weight Maximization) gather through it instead of scattering with atomics.
 */
export function outgoingIndex(c: FanIn): { offset: Uint32Array; synapse: Uint32Array } {
  const offset = new Uint32Array(c.presynaptic + 1);
  for (let s = 0; s < c.index.length; s++) if (c.index[s]! < c.presynaptic) offset[c.index[s]! + 1]!++;
  for (let j = 0; j < c.presynaptic; j++) offset[j + 1]! += offset[j]!;
  const fill = offset.slice(0, c.presynaptic);
  const synapse = new Uint32Array(offset[c.presynaptic]!);
  for (let s = 0; s < c.index.length; s++) {
    const j = c.index[s]!;
    if (j < c.presynaptic) synapse[fill[j]!++] = s;
  }
  return { offset, synapse };
}

/** Dale's law: each presynaptic unit excitatory (+1) with probability `excitatory`, else inhibitory (-1). */
export function daleSigns(seed: number, presynaptic: number, excitatory = 0.8): Int8Array {
  checkNumber('excitatory', excitatory, 0, 1);
  const rng = new CounterRng(seed, Stream.wiring, 0xffffffff);
  return Int8Array.from({ length: presynaptic }, () => (rng.uniform() < excitatory ? 1 : -1));
}

/**
 * Hold weight signs under Dale's law (CPU twin of shaders/dale-project.wgsl): a weight whose sign
 * disagrees with its presynaptic unit's sign is set to 0. theta is [R, K+1, N]; the bias row is free.
 */
export function daleProjectCpu(theta: Float32Array, c: FanIn, replicas: number): void {
  const { neurons: N, fanIn: K } = c;
  if (!c.sign) return;
  for (let r = 0; r < replicas; r++) {
    for (let k = 0; k < K; k++) {
      for (let n = 0; n < N; n++) {
        const j = c.index[k * N + n]!;
        if (j >= c.presynaptic) continue;
        const w = (r * (K + 1) + k) * N + n;
        if (theta[w]! * c.sign[j]! < 0) theta[w] = 0;
      }
    }
  }
}
