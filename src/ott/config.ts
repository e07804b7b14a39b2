/**
 * Configuration of the Ott "neurons as RL agents" family (NaRLA, original-paper branch, 2020):
 * every neuron is its own REINFORCE agent; the last neuron's choice is the CartPole action.
 */

/** Which reward terms a neuron learns from (the code's `--reward_type`). */
export type OttRewardMode = 'task' | 'bio' | 'all' | 'bio_then_all';

/** Per-neuron policy: the paper's small MLP, or a logistic unit (cheaper, for scale). */
export type OttPolicyKind = 'mlp' | 'logistic';

/** Hidden layer l >= 1 sees neurons j-1 and j of layer l-1 (the paper's), or all of it. */
export type OttWiringKind = 'local' | 'dense';

/** Weight of each per-step reward term (applied only to the terms the mode enables). */
export interface OttRewardWeights {
  /** CartPole's +1 per step, broadcast to every neuron. */
  task: number;
  /** +1 when the neuron spiked ("firing" in the code). */
  activity: number;
  /** -|e| when firing, +|e| when silent, e = layer firing fraction - target (hidden layers). */
  sparsity: number;
  /** Sum over postsynaptic targets of spike * (+1 target spiked / -1 silent) (hidden layers). */
  prediction: number;
  /** Fitted penalty on the neuron's running firing fraction being far from 0.5. */
  trace: number;
}

export interface OttConfig {
  /** Run seed (u32); keys initialisation, spikes and CartPole resets. */
  seed: number;
  /** R independent networks trained side by side (one CartPole env each). */
  replicas: number;
  /** Number of hidden layers (Table 1 uses 1, 2, 5; the code also ran 0). */
  layers: number;
  /** Neurons per hidden layer (the code's --num_neurons, 15). */
  neuronsPerLayer: number;
  /** Wiring between hidden layers ('local' is the paper's). */
  wiring: OttWiringKind;
  /** Per-neuron policy kind; 'mlp' is the paper's. */
  policy: OttPolicyKind;
  /** Width of each neuron's private MLP (the code's Agent: Linear(fan_in, 32)). */
  hiddenUnits: number;
  /** Negative slope of the MLP's LeakyReLU (the code: nn.LeakyReLU(.3)). */
  leakySlope: number;
  /** Adam learning rate of every neuron (the code: 1e-2). */
  learningRate: number;
  /** Adam beta1 (torch default 0.9). */
  adamBeta1: number;
  /** Adam beta2 (torch default 0.999). */
  adamBeta2: number;
  /** Adam epsilon (torch default 1e-8). */
  adamEps: number;
  /** Discount of each neuron's return (the code: 0.99). */
  gamma: number;
  /** Reward terms used for learning. */
  rewardMode: OttRewardMode;
  /**
   * Optional reward mode of each replica (length = replicas), overriding rewardMode, so one batched
   * run can hold several Table 1 cells with the same layer count.
   */
  replicaRewardModes?: OttRewardMode[];
  /** Weight of each term (the code: all 1). */
  rewardWeights: OttRewardWeights;
  /** Target fraction of a hidden layer firing in one step (the code: 0.2). */
  sparsityTarget: number;
  /**
   * For 'bio_then_all': episodes 1..bioEpisodes learn from the bio terms, later ones from all.
   * The code switches with `if e > 500` after learning episode e, so episode 501 is the last bio one.
   */
  bioEpisodes: number;
  /** Episode cap per replica (the code: `for e in range(1, 20000)`, i.e. 19,999 episodes). */
  maxEpisodes: number;
  /** The stop rule needs episode index > minEpisodes (the code: 1000). */
  minEpisodes: number;
  /** Stop when the trailing-window mean return exceeds this (the code: 300). */
  solveThreshold: number;
  /** Window of the trailing mean (the code: 100 episodes; fewer while fewer exist). */
  solveWindow: number;
  /** If false, every replica runs maxEpisodes (useful for fixed-length learning curves). */
  stopWhenSolved: boolean;
}

/** The code's reward weights (all 1). */
export const OTT_UNIT_WEIGHTS: Readonly<OttRewardWeights> = Object.freeze({
  task: 1,
  activity: 1,
  sparsity: 1,
  prediction: 1,
  trace: 1,
});

/** Defaults = the paper's CartPole setting ('all' rewards, 1 hidden layer). */
export const OTT_CARTPOLE_DEFAULTS: Readonly<OttConfig> = Object.freeze({
  seed: 0,
  replicas: 1,
  layers: 1,
  neuronsPerLayer: 15,
  wiring: 'local',
  policy: 'mlp',
  hiddenUnits: 32,
  leakySlope: 0.3,
  learningRate: 1e-2,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEps: 1e-8,
  gamma: 0.99,
  rewardMode: 'all',
  rewardWeights: OTT_UNIT_WEIGHTS,
  sparsityTarget: 0.2,
  bioEpisodes: 501,
  maxEpisodes: 19_999,
  minEpisodes: 1000,
  solveThreshold: 300,
  solveWindow: 100,
  stopWhenSolved: true,
});

/** Table 1 cell presets: `ottPaperConfig(layers, mode)` with 10 repeats as in the paper. */
export function ottPaperConfig(layers: number, rewardMode: OttRewardMode, overrides: Partial<OttConfig> = {}): OttConfig {
  return { ...OTT_CARTPOLE_DEFAULTS, replicas: 10, layers, rewardMode, ...overrides };
}

/** Named presets for the CLI. */
export const OTT_PRESETS: Readonly<Record<string, OttConfig>> = Object.freeze({
  'ott-all-1': ottPaperConfig(1, 'all'),
  'ott-all-2': ottPaperConfig(2, 'all'),
  'ott-all-5': ottPaperConfig(5, 'all'),
  'ott-bio_then_all-1': ottPaperConfig(1, 'bio_then_all'),
  'ott-bio_then_all-2': ottPaperConfig(2, 'bio_then_all'),
  'ott-bio_then_all-5': ottPaperConfig(5, 'bio_then_all'),
  'ott-task-1': ottPaperConfig(1, 'task'),
  'ott-task-2': ottPaperConfig(2, 'task'),
  'ott-task-5': ottPaperConfig(5, 'task'),
});

/** The reward mode of replica r. */
export function replicaRewardMode(c: OttConfig, r: number): OttRewardMode {
  return c.replicaRewardModes?.[r] ?? c.rewardMode;
}

/** Device code of a reward mode (shaders/ott-rewards.wgsl). */
export const OTT_MODE_CODE: Readonly<Record<OttRewardMode, number>> = Object.freeze({ task: 0, bio: 1, all: 2, bio_then_all: 3 });

/** Fill a partial config from the defaults and validate it. */
export function resolveOttConfig(partial: Partial<OttConfig> = {}): OttConfig {
  const c: OttConfig = {
    ...OTT_CARTPOLE_DEFAULTS,
    ...partial,
    rewardWeights: { ...OTT_CARTPOLE_DEFAULTS.rewardWeights, ...(partial.rewardWeights ?? {}) },
  };
  validateOttConfig(c);
  return c;
}

function checkInt(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  }
}

function checkNum(name: string, v: number, lo: number, hi: number, openLo = false, openHi = false): void {
  const okLo = openLo ? v > lo : v >= lo;
  const okHi = openHi ? v < hi : v <= hi;
  if (typeof v !== 'number' || !Number.isFinite(v) || !okLo || !okHi) {
    const range = `${openLo ? '(' : '['}${lo}, ${hi}${openHi ? ')' : ']'}`;
    throw new RangeError(`${name} must be a number in ${range}, got ${v}`);
  }
}

const MODES: readonly OttRewardMode[] = ['task', 'bio', 'all', 'bio_then_all'];
const POLICIES: readonly OttPolicyKind[] = ['mlp', 'logistic'];
const WIRINGS: readonly OttWiringKind[] = ['local', 'dense'];

/** Throws a RangeError naming the first invalid field and its allowed range. */
export function validateOttConfig(c: OttConfig): void {
  checkInt('seed', c.seed, 0, 0xffffffff);
  checkInt('replicas', c.replicas, 1, 4096);
  checkInt('layers', c.layers, 0, 10);
  checkInt('neuronsPerLayer', c.neuronsPerLayer, 1, 1024);
  if (!WIRINGS.includes(c.wiring)) {
    throw new RangeError(`wiring must be one of ${WIRINGS.join(', ')}, got ${String(c.wiring)}`);
  }
  if (!POLICIES.includes(c.policy)) {
    throw new RangeError(`policy must be one of ${POLICIES.join(', ')}, got ${String(c.policy)}`);
  }
  checkInt('hiddenUnits', c.hiddenUnits, 1, 1024);
  checkNum('leakySlope', c.leakySlope, 0, 1);
  checkNum('learningRate', c.learningRate, 0, 1, true);
  checkNum('adamBeta1', c.adamBeta1, 0, 1, false, true);
  checkNum('adamBeta2', c.adamBeta2, 0, 1, false, true);
  checkNum('adamEps', c.adamEps, 0, 1, true);
  checkNum('gamma', c.gamma, 0, 1);
  if (!MODES.includes(c.rewardMode)) {
    throw new RangeError(`rewardMode must be one of ${MODES.join(', ')}, got ${String(c.rewardMode)}`);
  }
  if (c.replicaRewardModes !== undefined) {
    if (!Array.isArray(c.replicaRewardModes) || c.replicaRewardModes.length !== c.replicas) {
      throw new RangeError(`replicaRewardModes must be an array of length replicas (${c.replicas})`);
    }
    for (const m of c.replicaRewardModes) {
      if (!MODES.includes(m)) throw new RangeError(`replicaRewardModes entries must be one of ${MODES.join(', ')}, got ${String(m)}`);
    }
  }
  if (typeof c.rewardWeights !== 'object' || c.rewardWeights === null) {
    throw new RangeError('rewardWeights must be an object with task, activity, sparsity, prediction, trace');
  }
  for (const k of ['task', 'activity', 'sparsity', 'prediction', 'trace'] as const) {
    checkNum(`rewardWeights.${k}`, c.rewardWeights[k], -1000, 1000);
  }
  checkNum('sparsityTarget', c.sparsityTarget, 0, 1);
  checkInt('bioEpisodes', c.bioEpisodes, 0, 1_000_000);
  checkInt('maxEpisodes', c.maxEpisodes, 1, 1_000_000);
  checkInt('minEpisodes', c.minEpisodes, 0, 1_000_000);
  checkNum('solveThreshold', c.solveThreshold, 0, 500);
  checkInt('solveWindow', c.solveWindow, 1, 100_000);
  if (typeof c.stopWhenSolved !== 'boolean') {
    throw new RangeError(`stopWhenSolved must be a boolean, got ${String(c.stopWhenSolved)}`);
  }
}
