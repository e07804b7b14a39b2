/**
 * The 2D decision-boundary matching task (paper Fig. 1; reference SynRLv1 match_network):
 * a random target MLP 2-H-1 (weights uniform [-1, 1], biases 0, tanh on every layer) labels inputs
 * uniform in [-10, 10]^2; a fresh MLP of the same shape learns to match the target's output. The
 * loss is the reference's loss_linear (norm of output - target output, / N); accuracy is sign
 * agreement with the target.
 */
import { CounterRng, Stream } from '../rng/counter-rng.ts';
import type { MlpLayout } from './mlp.ts';
import { createForwardWorkspace, initMlpWeights, mlpForward, mlpLayout } from './mlp.ts';

/** Agent ids inside Stream.data for the boundary task (replica r adds r * 16). */
export const BOUNDARY_DATA_AGENT = { targetWeights: 0, inputs: 1 } as const;

/** Per-replica task data: inputs (R*P*2) and the target network's outputs (R*P). */
export interface BoundaryData {
  layout: MlpLayout;
  points: number;
  x: Float32Array;
  y: Float32Array;
}

/** Shape of both networks: 2-H-1, tanh everywhere (the reference applies tanh to the output too). */
export function boundaryLayout(hidden: number): MlpLayout {
  return mlpLayout({ sizes: [2, hidden, 1], hidden: 'tanh', output: 'tanh' });
}

/** Draws each replica's own target network and points (replica r: agents r*16 + purpose). */
export function makeBoundaryData(replicas: number, hidden: number, points: number, inputRange: number, targetWeightRange: number, seed: number): BoundaryData {
  const layout = boundaryLayout(hidden);
  const x = new Float32Array(replicas * points * 2);
  const targetW = new Float32Array(replicas * layout.numSynapses);
  for (let r = 0; r < replicas; r++) {
    const tw = initMlpWeights(layout, 1, targetWeightRange, seed, Stream.data, r * 16 + BOUNDARY_DATA_AGENT.targetWeights);
    targetW.set(tw, r * layout.numSynapses);
    const rng = new CounterRng(seed, Stream.data, r * 16 + BOUNDARY_DATA_AGENT.inputs);
    for (let i = 0; i < points * 2; i++) x[r * points * 2 + i] = rng.range(-inputRange, inputRange);
  }
  const ws = createForwardWorkspace(layout, replicas, points);
  ws.acts[0].set(x);
  const y = mlpForward(layout, targetW, ws).slice();
  return { layout, points, x, y };
}
