import { ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { ChemotaxisCpu, chemotaxisAction, type ChemotaxisParams } from './chemotaxis.ts';
import { ENV_PARAMS_HEAD, envKernelDef, envHeadValues, type EnvKernelLayout } from './env-kernel.ts';

/** The kernel's params struct (checked against `struct ChemotaxisParams` in the WGSL). */
export const CHEMOTAXIS_PARAMS = new ParamsLayout('ChemotaxisParams', {
  ...ENV_PARAMS_HEAD,
  peakX: 'f32',
  peakY: 'f32',
  invTwoSigma2: 'f32',
  startDistance: 'f32',
  speed: 'f32',
  reverseSpeed: 'f32',
  steerPerSpike: 'f32',
  pirouetteAngle: 'f32',
  obsGain: 'f32',
  rewardGain: 'f32',
  ticks: 'u32',
});

/** chemotaxis-step's layout in a step program. */
export type ChemotaxisOpLayout = EnvKernelLayout<Readonly<ChemotaxisParams>>;

/** The parity suite (test/parity/suites.ts) that checks the kernel. */
export const CHEMOTAXIS_PARITY = 'chemotaxis-step';

/**
 * chemotaxis-step in the kernel registry: state, counters and reward are named buffers of the step
 * program; the 12 motor spikes are read from consecutive slots of `actIn`, the two sensory drives
 * written to `obsOut`. The CPU twin is ChemotaxisCpu over the same arrays.
 */
export const CHEMOTAXIS_STEP: KernelDef<ChemotaxisOpLayout> = envKernelDef({
  wgsl: 'chemotaxis-step',
  paramsLayout: CHEMOTAXIS_PARAMS,
  values: (l: ChemotaxisOpLayout) => {
    const p = l.params;
    return {
      ...envHeadValues(l),
      maxEpisodeSteps: p.maxEpisodeSteps * p.ticks,
      peakX: p.peakX,
      peakY: p.peakY,
      invTwoSigma2: 1 / (2 * p.sigma * p.sigma),
      startDistance: p.startDistance,
      speed: p.speed,
      reverseSpeed: p.reverseSpeed,
      steerPerSpike: p.steerGain / p.ticks,
      pirouetteAngle: p.pirouetteAngle,
      obsGain: p.obsGain,
      rewardGain: p.rewardGain,
      ticks: p.ticks,
    };
  },
  twin: (E, params, store) => new ChemotaxisCpu(E, params, store),
  action: (x) => (x > 0.5 ? 1 : 0),
  readAction: chemotaxisAction,
  parity: CHEMOTAXIS_PARITY,
});
