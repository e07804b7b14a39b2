import { ConfigError } from '../config/validate.ts';
import { CounterRng, Stream } from '../rng/counter-rng.ts';

/**
 * The adult hermaphrodite C. elegans connectome (data/celegans/, README there for sources and
 * licence): chemical synapses directed with their counts, gap junctions symmetric with theirs, and
 * each neuron's transmitter. Browser-safe: it parses text; `src/connectome/celegans-files.ts`
 * reads the package's files in Node.
 */
export interface Connectome {
  /** Neuron names, sorted; index = neuron id. */
  neurons: string[];
  /** Directed chemical synapses pre -> post with their count (no self-loops, one entry per pair). */
  chemical: Edge[];
  /** Gap junctions, one entry per unordered pair (a < b) with the count. */
  gap: Edge[];
  /** Transmitter label per neuron ('' when the table has none). */
  transmitter: string[];
}

export interface Edge {
  pre: number;
  post: number;
  count: number;
}

/** The two head neurons missing from the edge list (no synapses recorded); kept as isolated agents so the network has all 302. */
const ISOLATED = ['CANL', 'CANR'];

/** 'AS01' (edge list) and 'AS1' (transmitter table) name the same cell. */
export function canonicalName(n: string): string {
  return n.trim().replace(/^([A-Z]+)0(\d)$/, '$1$2');
}

/** Neurons are upper-case names; muscles and other end organs (dBWML1, pm1d, hyp, ...) start lower-case and are dropped. */
const isNeuron = (n: string) => /^[A-Z]/.test(n);

/**
 * Parse `herm_full_edgelist.csv` (Source,Target,Weight,Type: chemical | electrical) and
 * `transmitters.csv` (neuron,transmitter). Neuron-to-neuron edges only. Gap junctions listed in one
 * direction only are made symmetric; a pair listed both ways keeps the larger count.
 */
export function parseConnectome(edgeCsv: string, transmitterCsv: string): Connectome {
  const chem = new Map<string, number>();
  const gapPairs = new Map<string, number>();
  const names = new Set<string>(ISOLATED);
  edgeCsv.split(/\r?\n/).forEach((raw, i) => {
    if (i === 0 || !raw.trim()) return;
    const f = raw.split(',');
    if (f.length !== 4) throw new ConfigError('connectome', `edge list line ${i + 1}: expected 'Source,Target,Weight,Type', got ${f.length} fields`);
    const a = canonicalName(f[0]!),
      b = canonicalName(f[1]!),
      w = Number(f[2]),
      type = f[3]!.trim();
    if (!Number.isInteger(w) || w < 1) throw new ConfigError('connectome', `edge list line ${i + 1}: weight must be a positive integer, got '${f[2]}'`);
    if (!isNeuron(a) || !isNeuron(b) || a === b) return;
    names.add(a).add(b);
    if (type === 'chemical') chem.set(`${a} ${b}`, (chem.get(`${a} ${b}`) ?? 0) + w);
    else if (type === 'electrical') {
      const key = a < b ? `${a} ${b}` : `${b} ${a}`;
      gapPairs.set(key, Math.max(gapPairs.get(key) ?? 0, w));
    } else throw new ConfigError('connectome', `edge list line ${i + 1}: type must be chemical or electrical, got '${type}'`);
  });
  const neurons = [...names].sort();
  const id = new Map(neurons.map((n, i) => [n, i]));
  const edges = (m: Map<string, number>) =>
    [...m].map(([k, count]) => {
      const [a, b] = k.split(' ');
      return { pre: id.get(a!)!, post: id.get(b!)!, count };
    });
  const transmitter = new Array<string>(neurons.length).fill('');
  transmitterCsv.split(/\r?\n/).forEach((raw, i) => {
    if (i === 0 || !raw.trim()) return;
    const [n, t] = raw.split(',');
    const j = id.get(canonicalName(n!));
    if (j !== undefined) transmitter[j] = (t ?? '').trim();
  });
  return { neurons, chemical: edges(chem), gap: edges(gapPairs), transmitter };
}

/**
 * Dale's law sign per neuron from its transmitter: GABAergic -1, every other +1. The approximation:
 * in C. elegans acetylcholine and glutamate also act through inhibitory ligand-gated chloride
 * channels on some targets (and monoamines are modulatory); one sign per neuron cannot say that.
 */
export function daleSignOf(transmitter: string, glutamate: 'excitatory' | 'inhibitory' = 'excitatory'): 1 | -1 {
  const t = transmitter.split(/[|_]/);
  return t.includes('GABA') || (glutamate === 'inhibitory' && t.includes('Glutamate')) ? -1 : 1;
}

export type ConnectomeVariant = 'connectome' | 'degree-shuffle' | 'random';

/**
 * The wiring to compare against the real one, seeded:
 * - `degree-shuffle`: Maslov-Sneppen double-edge swaps (10 per edge) of the chemical synapses
 *   (a->b, c->d) => (a->d, c->b), keeping every neuron's in- and out-degree, and of the gap junctions
 *   as undirected edges, keeping every neuron's gap degree; counts travel with their edges; swaps
 *   that would make a self-loop or a duplicate are skipped.
 * - `random`: the same numbers of chemical synapses and gap junctions between uniformly drawn
 *   distinct pairs (no self-loops, no duplicates), the real counts handed out in random order.
 * Neuron names, transmitters and signs stay with the neurons.
 */
export function variantOf(c: Connectome, variant: ConnectomeVariant, seed: number): Connectome {
  if (variant === 'connectome') return c;
  const rng = new CounterRng(seed, Stream.wiring, 0x30c);
  const N = c.neurons.length;
  if (variant === 'random') {
    const draw = (edges: Edge[], undirected: boolean): Edge[] => {
      const seen = new Set<number>();
      const counts = edges.map((e) => e.count);
      for (let i = counts.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [counts[i], counts[j]] = [counts[j]!, counts[i]!];
      }
      return counts.map((count) => {
        for (;;) {
          let a = rng.int(N),
            b = rng.int(N);
          if (a === b) continue;
          if (undirected && a > b) [a, b] = [b, a];
          if (seen.has(a * N + b)) continue;
          seen.add(a * N + b);
          return { pre: a, post: b, count };
        }
      });
    };
    return { ...c, chemical: draw(c.chemical, false), gap: draw(c.gap, true) };
  }
  const swap = (edges: Edge[], undirected: boolean): Edge[] => {
    const out = edges.map((e) => ({ ...e }));
    const key = (a: number, b: number) => (undirected && a > b ? b * N + a : a * N + b);
    const seen = new Set(out.map((e) => key(e.pre, e.post)));
    for (let t = 0; t < 10 * out.length; t++) {
      const i = rng.int(out.length),
        j = rng.int(out.length);
      const x = out[i]!,
        y = out[j]!;
      // Undirected edges may swap either way round: (a-b, c-d) => (a-d, c-b) or (a-c, b-d).
      if (undirected && rng.int(2)) [y.pre, y.post] = [y.post, y.pre];
      const a = x.pre,
        b = x.post,
        c2 = y.pre,
        d = y.post;
      if (i === j || a === d || c2 === b || seen.has(key(a, d)) || seen.has(key(c2, b))) continue;
      seen.delete(key(a, b));
      seen.delete(key(c2, d));
      x.post = d;
      y.post = b;
      seen.add(key(a, d));
      seen.add(key(c2, b));
    }
    return out.map((e) => (undirected && e.pre > e.post ? { pre: e.post, post: e.pre, count: e.count } : e));
  };
  return { ...c, chemical: swap(c.chemical, false), gap: swap(c.gap, true) };
}

/** The klinotaxis circuit's ends: ASEL reports concentration increases, ASER decreases. */
export const CHEMOTAXIS_INPUTS = ['ASEL', 'ASER'] as const;
/**
 * The neurons the chemotaxis env reads, in its slot order: forward command (AVB), reversal command
 * (AVA), dorsal head motor (SMDD, RMDD), ventral head motor (SMDV, RMDV).
 */
export const CHEMOTAXIS_OUTPUTS = ['AVBL', 'AVBR', 'AVAL', 'AVAR', 'SMDDL', 'SMDDR', 'RMDDL', 'RMDDR', 'SMDVL', 'SMDVR', 'RMDVL', 'RMDVR'] as const;

export interface ConnectomeLayerOptions {
  /** Observation channels of the env: channel c drives neuron inputs[c]. */
  inputs: readonly string[];
  /** Neurons placed first in the layer, in this order: the env reads its action slots from them. */
  outputs: readonly string[];
  variant: ConnectomeVariant;
  seed: number;
  /** Total initial synaptic weight onto each neuron, shared out in proportion to the synapse counts (chemical and gap alike). */
  weightScale: number;
  /** Initial weight of an observation channel onto its sensory neuron. */
  inputWeight: number;
  /** The sign of glutamatergic neurons (default excitatory; inhibitory: the GluCl-receptor reading). */
  glutamate?: 'excitatory' | 'inhibitory';
}

/**
 * One recurrent layer of the population: the neurons (outputs first, then the rest by name), and
 * its edge list in the engine's format (`pre post weight sign`, src/connectivity/fan-in.ts) over
 * the presynaptic block [observation channels (inputs.length) | the layer's own spikes of the
 * previous step (N)]: channel c -> inputs[c] (excitatory), and for every chemical synapse j -> i and
 * both directions of every gap junction i - j, unit inputs.length + j -> i with weight
 * weightScale x (chemical count + gap count) / (all counts onto i) — every neuron's synaptic
 * weights sum to weightScale, so hubs do not saturate — signed by j's transmitter (Dale's law; gap
 * junctions too, an approximation: electrical coupling has no transmitter).
 */
export function connectomeLayer(c: Connectome, o: ConnectomeLayerOptions): { neurons: string[]; sign: Int8Array; edges: string } {
  const byName = new Map(c.neurons.map((n, i) => [n, i]));
  const need = (field: string, n: string) => {
    const i = byName.get(n);
    if (i === undefined) throw new ConfigError(field, `${field}: '${n}' is not a neuron of the connectome (e.g. ${c.neurons.slice(0, 4).join(', ')}, ...)`);
    return i;
  };
  const out = o.outputs.map((n) => need('outputs', n));
  if (new Set(out).size !== out.length) throw new ConfigError('outputs', 'outputs must name distinct neurons');
  o.inputs.forEach((n) => need('inputs', n));
  const v = variantOf(c, o.variant, o.seed);
  const rest = c.neurons.map((_, i) => i).filter((i) => !out.includes(i));
  const order = [...out, ...rest];
  const pos = new Int32Array(c.neurons.length);
  order.forEach((orig, p) => (pos[orig] = p));
  const D = o.inputs.length;
  const w = new Map<number, number>();
  const N = c.neurons.length;
  const add = (pre: number, post: number, count: number) => w.set(pos[pre]! * N + pos[post]!, (w.get(pos[pre]! * N + pos[post]!) ?? 0) + count);
  for (const e of v.chemical) add(e.pre, e.post, e.count);
  for (const e of v.gap) {
    add(e.pre, e.post, e.count);
    add(e.post, e.pre, e.count);
  }
  // Each neuron's synaptic input weights sum to weightScale (its own counts share it out).
  const inCount = new Float64Array(N);
  for (const [k, count] of w) inCount[k % N]! += count;
  const sign = Int8Array.from(order, (orig) => daleSignOf(c.transmitter[orig]!, o.glutamate));
  const lines = [`# ${o.variant} (seed ${o.seed}): observation channels 0..${D - 1}, then the previous step's spikes of neurons 0..${N - 1} as units ${D}..${D + N - 1}`];
  o.inputs.forEach((n, ch) => lines.push(`${ch} ${pos[byName.get(n)!]} ${o.inputWeight} E`));
  for (const [k, count] of [...w].sort((a, b) => a[0] - b[0])) {
    const pre = Math.floor(k / N),
      post = k % N;
    lines.push(`${D + pre} ${post} ${Math.fround((o.weightScale * count) / inCount[post]!)} ${sign[pre] < 0 ? 'I' : 'E'}`);
  }
  return { neurons: order.map((i) => c.neurons[i]!), sign, edges: lines.join('\n') };
}
