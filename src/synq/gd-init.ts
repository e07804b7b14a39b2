import { Stream, type CounterRng } from '../rng/counter-rng.ts';
import type { GdMnistConfig } from './config.ts';
import { initMlpWeights, type MlpLayout } from './mlp.ts';

/**
 * Initial weights of GD replicas first .. first + R - 1 (biases 0). 'paired': synaptic RL's own
 * draws (initMlpWeights, stream init, agent = replica). 'code': the authors' GD notebooks' scheme
 * (GdInit), from stream gdInit, agent = replica, in layout order: uniform in [-1, 1) for a net
 * without hidden layers, else normal(0, std 2 / (inputs + outputs of the layer)).
 */
export function gdInitialWeights(layout: MlpLayout, c: GdMnistConfig, R: number, first: number): Float32Array {
  if (c.init === 'paired') return initMlpWeights(layout, R, c.initWeightRange, c.seed, Stream.init, first);
  const { sizes } = layout.shape;
  const draw = sizes.length === 2 ? (rng: CounterRng) => rng.range(-1, 1) : (rng: CounterRng, l: number) => (2 / (sizes[l] + sizes[l + 1])) * rng.normal();
  return initMlpWeights(layout, R, 1, c.seed, Stream.gdInit, first, draw);
}
