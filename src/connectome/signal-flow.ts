import type { Experiment } from '../experiment/schema.ts';
import { buildModel } from '../experiment/build.ts';
import { ROW_COPY, rowCopyCpu, type RowCopyLayout } from '../kernels/row-copy.ts';
import { SPIKE_SAMPLE, type SpikeOpLayout } from '../kernels/spike-sample.ts';
import { spikeSampleCpu } from '../kernels/spike-sample-cpu.ts';

/**
 * Does a sensory signal reach the motor neurons? The recurrent connectome layer of an experiment
 * (its initial weights, or `theta` given) is run on its own, with the engine's CPU spike kernel
 * and row copy, one network update per tick, in `replicas` independent copies: `warmup` ticks with
 * the observation at 0, then observation channel `channel` held at `value` for `hold` ticks, then 0
 * again. The same run without the pulse, with the same random numbers (the counter RNG), is the
 * baseline, so a difference in firing is caused by the pulse alone. Returns per neuron (layer
 * order) and lag (1 = the tick after the pulse began) the change of the firing rate.
 */
export interface SignalFlow {
  neurons: string[];
  /** delta[lag - 1][n]: firing rate of neuron n with the pulse minus without, lag ticks after it began. */
  delta: Float32Array[];
  /** Mean firing rate over all neurons without the pulse, at the pulse's first tick. */
  baseRate: number;
  /** Each neuron's firing rate without the pulse, at the pulse's first tick. */
  baseRates: Float32Array;
}

export function signalFlow(x: Experiment, o: { channel: number; value: number; hold: number; lags: number; replicas: number; warmup?: number; theta?: Float32Array }): SignalFlow {
  const w = x.population.wiring?.[0];
  if (w?.kind !== 'connectome' || !w.neurons) throw new RangeError('signalFlow needs an experiment with one connectome wiring, its edges generated (inlineConnectomes)');
  const R = o.replicas;
  const m = buildModel({ ...x, run: { ...x.run, replicas: R } });
  const spikeOp = m.program.step.find((op) => op.kernel === SPIKE_SAMPLE)!;
  const copyOp = m.program.step.find((op) => op.kernel === ROW_COPY)!;
  const L = (spikeOp.layout as SpikeOpLayout).spike;
  const copy = copyOp.layout as RowCopyLayout;
  const init = <T>(name: string) => {
    const b = m.program.buffers.find((d) => d.name === name)!;
    return (typeof b.init === 'function' ? b.init() : b.init) as T;
  };
  const one = o.theta;
  const theta = one ? new Float32Array(R * one.length) : init<Float32Array>('theta-0');
  if (one) for (let r = 0; r < R; r++) theta.set(one, r * one.length);
  const index = init<Uint32Array>('fan-in-0');
  const N = L.neurons,
    S = L.actStride;
  const warmup = o.warmup ?? 20;
  const run = (pulse: boolean) => {
    const act = new Float32Array(R * S),
      prob = new Float32Array(R * L.probStride);
    const rates: Float32Array[] = [];
    for (let t = 0; t < warmup + o.lags; t++) {
      const on = pulse && t >= warmup && t < warmup + o.hold;
      for (let r = 0; r < R; r++) act[r * S + o.channel] = on ? o.value : 0;
      spikeSampleCpu(L, theta, index, t, act, prob);
      if (t >= warmup) {
        const rate = new Float32Array(N);
        for (let r = 0; r < R; r++) for (let n = 0; n < N; n++) rate[n]! += act[r * S + L.outOffset + n]! / R;
        rates.push(rate);
      }
      rowCopyCpu(copy, act, act);
    }
    return rates;
  };
  const base = run(false),
    pulsed = run(true);
  return {
    neurons: w.neurons,
    delta: pulsed.map((p, k) => p.map((v, n) => v - base[k]![n]!)),
    baseRate: base[0]!.reduce((a, b) => a + b, 0) / N,
    baseRates: base[0]!,
  };
}
