import { checkChoice, checkInt, checkNumber } from '../../config/validate.ts';

/** A minimal learner proving the pipe end to end: logistic neuron-agents, per-neuron REINFORCE, CartPole-v1. */
export interface CartpoleReinforceConfig {
  /** Seed of every random draw (init, spikes, env resets). */
  seed: number;
  /** Independent networks trained at once, each with its own env. */
  replicas: number;
  /** Episodes per replica. */
  episodes: number;
  /** Hidden logistic neuron-agents between the observation and the one action neuron. */
  hidden: number;
  /** Adam step size of every neuron's own optimiser. */
  lr: number;
  /** Discount of the per-neuron returns. */
  gamma: number;
  /** Env steps recorded into one GPU submit (the GPU runs that far between metric readbacks). */
  stepsPerSubmit: number;
  /** Where the kernels run: 'webgpu' or the CPU twins. */
  backend: 'webgpu' | 'cpu';
}

export const CARTPOLE_REINFORCE_DEFAULTS: Readonly<CartpoleReinforceConfig> = Object.freeze({
  seed: 0,
  replicas: 8,
  episodes: 1000,
  hidden: 8,
  lr: 0.03,
  gamma: 0.99,
  stepsPerSubmit: 250,
  backend: 'webgpu',
});

export function validateCartpoleReinforceConfig(c: CartpoleReinforceConfig): CartpoleReinforceConfig {
  checkInt('seed', c.seed, 0, 2 ** 32 - 1);
  checkInt('replicas', c.replicas, 1, 1 << 20);
  checkInt('episodes', c.episodes, 1, 1_000_000);
  checkInt('hidden', c.hidden, 1, 4096);
  checkNumber('lr', c.lr, 0, 1, { minExclusive: true });
  checkNumber('gamma', c.gamma, 0, 1);
  // Up to 2000 steps keeps every replica's episodes between readbacks inside the 256-entry log.
  checkInt('stepsPerSubmit', c.stepsPerSubmit, 1, 2000);
  checkChoice('backend', c.backend, ['webgpu', 'cpu']);
  return c;
}
