import type { OttWiringKind } from './config.ts';

/**
 * Wiring of an Ott network as padded fan-in / fan-out index lists, the form a GPU kernel reads.
 *
 * Signals: each replica has a signal vector of S = numInputs + N floats: the observation first,
 * then the spike (0/1) of every neuron n at index numInputs + n. Neurons are numbered layer by
 * layer: hidden layer l holds neurons l*W .. l*W+W-1, the output neuron is N-1 = L*W.
 *
 * Connectivity follows `Network._build_network` of the original-paper code (multi_agent.py):
 * - hidden layer 0 sees all observations;
 * - hidden layer l >= 1 is local: presynaptic r feeds postsynaptic r and r+1; at the edges the
 *   last presynaptic neuron (W-1) feeds only postsynaptic W-1 (no wrap-around), so postsynaptic 0
 *   sees only presynaptic 0 and postsynaptic j >= 1 sees j-1 and j (in that order);
 * - the output neuron sees every neuron of the last hidden layer (the observations if L = 0).
 * `kind: 'dense'` instead connects hidden layer l >= 1 to the whole previous layer (same init bound).
 */

/** Marks an unused slot in a padded index list. */
export const OTT_PAD = 0xffffffff;

export interface OttWiring {
  /** Observation size (4 for CartPole). */
  numInputs: number;
  /** Hidden layers L. */
  layers: number;
  /** Neurons per hidden layer W. */
  width: number;
  /** Neurons N = L*W + 1. */
  numNeurons: number;
  /** Signal vector length S = numInputs + N. */
  signalSize: number;
  /** Layer boundaries [L+2]: layer l (L = output) holds neurons layerStart[l] .. layerStart[l+1]-1. */
  layerStart: Uint32Array;
  /** Layer index of each neuron [N] (L for the output neuron). */
  layerOf: Uint32Array;
  /** Padded fan-in width K (max fan-in over neurons). */
  fanInK: number;
  /** Fan-in signal indices [N*K]; valid entries first, then OTT_PAD. */
  fanIn: Uint32Array;
  /** Valid fan-in entries per neuron [N]. */
  fanInCount: Uint32Array;
  /**
   * in_features of the code's dense nn.Linear for each neuron [N]: the code feeds every neuron the
   * whole presynaptic layer with unconnected entries zeroed, so its init bound is
   * 1/sqrt(presynaptic layer width), not 1/sqrt(connections). Masked weights never move (their
   * gradient is always 0), so K-entry lists with this init bound are equivalent to the code.
   */
  initFanIn: Uint32Array;
  /** Padded fan-out width (max over neurons). */
  fanOutK: number;
  /** Postsynaptic neuron indices [N*fanOutK]; valid entries first, then OTT_PAD. */
  fanOut: Uint32Array;
  /** Valid fan-out entries per neuron [N]. */
  fanOutCount: Uint32Array;
}

/**
 * What the kernels and their twins read of a wiring (everything but the init bounds): the packed
 * u32 buffer of a step program unpacks into this (`ottWiringView`, src/ott/network.ts).
 */
export type OttWiringView = Omit<OttWiring, 'initFanIn'>;

/** Build the wiring of L hidden layers of W neurons plus one output neuron. */
export function buildOttWiring(layers: number, width: number, numInputs = 4, kind: OttWiringKind = 'local'): OttWiring {
  if (!Number.isInteger(layers) || layers < 0) throw new RangeError(`layers must be an integer >= 0, got ${layers}`);
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be an integer >= 1, got ${width}`);
  const N = layers * width + 1;
  const lists: number[][] = [];
  const initFanIn = new Uint32Array(N);
  const layerOf = new Uint32Array(N);
  const layerStart = new Uint32Array(layers + 2);
  for (let l = 0; l <= layers; l++) layerStart[l] = l * width;
  layerStart[layers + 1] = N;

  for (let l = 0; l < layers; l++) {
    for (let j = 0; j < width; j++) {
      const n = l * width + j;
      layerOf[n] = l;
      if (l === 0) {
        lists[n] = Array.from({ length: numInputs }, (_, k) => k);
        initFanIn[n] = numInputs;
      } else {
        const pre = numInputs + (l - 1) * width;
        lists[n] = kind === 'dense' ? Array.from({ length: width }, (_, k) => pre + k) : j === 0 ? [pre] : [pre + j - 1, pre + j];
        initFanIn[n] = width;
      }
    }
  }
  const out = N - 1;
  layerOf[out] = layers;
  if (layers === 0) {
    lists[out] = Array.from({ length: numInputs }, (_, k) => k);
    initFanIn[out] = numInputs;
  } else {
    const pre = numInputs + (layers - 1) * width;
    lists[out] = Array.from({ length: width }, (_, k) => pre + k);
    initFanIn[out] = width;
  }

  const fanInK = Math.max(...lists.map((x) => x.length));
  const fanIn = new Uint32Array(N * fanInK).fill(OTT_PAD);
  const fanInCount = new Uint32Array(N);
  const post: number[][] = Array.from({ length: N }, () => []);
  for (let n = 0; n < N; n++) {
    const list = lists[n]!;
    fanInCount[n] = list.length;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      fanIn[n * fanInK + k] = s;
      if (s >= numInputs) post[s - numInputs]!.push(n);
    }
  }
  const fanOutK = Math.max(1, ...post.map((x) => x.length));
  const fanOut = new Uint32Array(N * fanOutK).fill(OTT_PAD);
  const fanOutCount = new Uint32Array(N);
  for (let n = 0; n < N; n++) {
    fanOutCount[n] = post[n]!.length;
    post[n]!.forEach((j, k) => (fanOut[n * fanOutK + k] = j));
  }

  return {
    numInputs,
    layers,
    width,
    numNeurons: N,
    signalSize: numInputs + N,
    layerStart,
    layerOf,
    fanInK,
    fanIn,
    fanInCount,
    initFanIn,
    fanOutK,
    fanOut,
    fanOutCount,
  };
}
