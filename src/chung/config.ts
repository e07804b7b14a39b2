/**
 * Configuration of the Weight Maximization family (Chung 2022, "Learning by Competition of
 * Self-Interested Reinforcement Learning Agents"): per-task presets copied from the paper's code
 * (stephen-chung-mh/weight_max, config/*.ini) and the validator every entry point calls.
 */

/** Tasks of the paper's Table 1. */
export type ChungTask = 'multiplexer' | 'cartpole' | 'acrobot' | 'lunarlander';

/**
 * How hidden units learn (the output unit is always REINFORCE / actor-critic):
 * - `weightmax`: reward = change of the L^p norm of the outgoing weights (the paper's method);
 * - `reinforce`: the output's reinforcement broadcast to every unit;
 * - `thomas`: REINFORCE where each hidden unit explores only on some steps (Thomas 2011);
 * - `ste`: straight-through backprop through the Bernoulli units (sigmoid' in the backward pass);
 * - `backprop`: deterministic ReLU hidden units trained by backprop.
 */
export type ChungRule = 'weightmax' | 'reinforce' | 'thomas' | 'ste' | 'backprop';

/** All rules, in Table 1's row order. */
export const CHUNG_RULES: readonly ChungRule[] = ['weightmax', 'reinforce', 'thomas', 'ste', 'backprop'];
export const CHUNG_TASKS: readonly ChungTask[] = ['multiplexer', 'cartpole', 'acrobot', 'lunarlander'];

/**
 * Eligibility-trace form used when `traces` is on:
 * - `code`: what the paper's code runs for "Weight Max w/ traces": the ordinary accumulating
 *   trace e = lambda*gamma*e + grad log pi in every layer, Weight Max rewards computed in the same
 *   step (this is what produced the Table 1 numbers);
 * - `shifted`: the paper's eqs. 13-17, a pipelined network where every layer updates from the
 *   previous step's signals and the trace of a unit at depth d is delayed by M - d steps and scaled
 *   by (1 - lambda) (Weight Max only).
 */
export type ChungTraceForm = 'code' | 'shifted';

export interface ChungConfig {
  /** Environment. */
  task: ChungTask;
  /** Learning rule for the hidden units. */
  rule: ChungRule;
  /** Use eligibility traces in the actor (actor lambda = `actorLambda`); false means lambda = 0. */
  traces: boolean;
  /** Trace form when `traces` is true (see ChungTraceForm). */
  traceForm: ChungTraceForm;
  /** Independent networks (seeds) trained side by side; the metric's std is over these. */
  replicas: number;
  /** Training episodes per replica (the paper: 800k multiplexer, 1000 CartPole / Acrobot, 3000 LunarLander). */
  episodes: number;
  /** Master seed; every random draw is a function of (seed, stream, agent, step). */
  seed: number;
  /** Hidden layer widths of the actor (paper: [64, 32]). */
  hidden: number[];
  /**
   * Presynaptic units per hidden unit; 0 = dense. A positive value below a layer's input width
   * gives each hidden unit that many random presynaptic units (sparse fan-in, for huge layers).
   */
  fanIn: number;
  /** Softmax / sigmoid temperature per actor layer, hidden layers then output (length hidden.length + 1). */
  temp: number[];
  /** Discount rate. */
  gamma: number;
  /** Actor trace decay lambda used when `traces` is on (the code multiplies it by gamma). */
  actorLambda: number;
  /** Critic TD(lambda) trace decay (multiplied by gamma, as in the code). */
  criticLambda: number;
  /** Critic hidden widths (softplus; the output is one linear unit). */
  criticHidden: number[];
  /** Actor learning rate per layer at step 0 (length hidden.length + 1). */
  actorLrStart: number[];
  /** Actor learning rate per layer from step `lrEndStep` on. */
  actorLrEnd: number[];
  /** Critic learning rate per layer at step 0 (length criticHidden.length + 1). */
  criticLrStart: number[];
  /** Critic learning rate per layer from step `lrEndStep` on. */
  criticLrEnd: number[];
  /** Environment steps over which learning rates are annealed linearly (the code's end_t). */
  lrEndStep: number;
  /** Norm p of Weight Max: hidden reward = sum p |w|^(p-1) sign(w) u over outgoing synapses. */
  weightMaxP: number;
  /** L^q weight decay strength c per layer (0 in every task config; 0.01 is the multiplexer optimum). */
  weightDecay: number;
  /** Norm q of the weight decay (the update gets -c q |w|^(q-1) sign(w)). */
  weightDecayP: number;
  /** Adam beta1. */
  adamBeta1: number;
  /** Adam beta2. */
  adamBeta2: number;
  /** Adam epsilon (added to sqrt(v_hat)). */
  adamEps: number;
  /** Adam bias correction is applied while t < this, then switched off (the code: 1000). */
  adamBiasCorrectionSteps: number;
  /**
   * Thomas (2011) rule only: expected number of exploring units per hidden layer and step; a unit
   * explores with probability min(1, thomasExplorers / width), otherwise it outputs its greedy value
   * (mean > 0.5) and does not learn from that step.
   */
  thomasExplorers: number;
  /** Safety cap on environment steps per replica (0 = none). */
  maxSteps: number;
}

/** Paper Table 1: mean (population std) of the mean return over all training episodes, 10 runs. */
export const CHUNG_TABLE1: Readonly<Record<string, Readonly<Record<ChungTask, readonly [number, number] | null>>>> = {
  weightmax: { multiplexer: [0.81, 0.01], cartpole: [390.38, 43.25], acrobot: [-97.05, 2.9], lunarlander: [111.23, 16.58] },
  'weightmax+traces': { multiplexer: null, cartpole: [373.11, 17.86], acrobot: [-105.0, 4.38], lunarlander: [39.04, 14.39] },
  reinforce: { multiplexer: [0.29, 0.01], cartpole: [163.92, 64.43], acrobot: [-134.15, 8.87], lunarlander: [-94.23, 19.03] },
  thomas: { multiplexer: [0.28, 0.02], cartpole: [363.71, 24.07], acrobot: [-112.26, 8.85], lunarlander: [-66.19, 67.14] },
  ste: { multiplexer: [0.76, 0.01], cartpole: [420.73, 18.3], acrobot: [-98.55, 5.05], lunarlander: [47.53, 35.04] },
  backprop: { multiplexer: [0.84, 0.01], cartpole: [411.82, 25.98], acrobot: [-91.82, 5.24], lunarlander: [71.77, 21.02] },
};

/**
 * The paper's public code (stephen-chung-mh/weight_max at its multiplexer config, config_mp.ini)
 * run on this project's machine: [mean, population std, runs] of the mean return over 800k
 * episodes, numpy seeds 0..runs-1 (`scripts/chung/reference_multiplexer.py`; docs/chung.md, "The
 * public code on the multiplexer"). Its REINFORCE (weight_max = 0) on CartPole and Acrobot ran at
 * the trace configs (config_cp_t.ini, config_ab_t.ini), 1000 episodes, seeds 1 and 2
 * (`scripts/peers/weight_max_main.py`; docs/benchmarks-peers.md). The code has no Thomas switch.
 */
export const CHUNG_CODE_TABLE1: Readonly<Record<string, Partial<Record<ChungTask, readonly [number, number, number]>>>> = {
  weightmax: { multiplexer: [0.7947, 0.0092, 10] },
  reinforce: { multiplexer: [0.1508, 0.0079, 10], cartpole: [35.278, 4.033, 2], acrobot: [-177.584, 27.386, 2] },
  ste: { multiplexer: [0.7551, 0.0085, 5] },
  backprop: { multiplexer: [0.9115, 0.0407, 5] },
};

const COMMON = {
  rule: 'weightmax',
  traces: false,
  traceForm: 'code',
  replicas: 1,
  seed: 1,
  hidden: [64, 32],
  fanIn: 0,
  gamma: 0.98,
  criticHidden: [64, 32],
  weightMaxP: 2,
  weightDecay: 0,
  weightDecayP: 2,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEps: 1e-8,
  adamBiasCorrectionSteps: 1000,
  thomasExplorers: 1,
  maxSteps: 0,
} as const;

/**
 * One task's row of config/config_*.ini: the fields the tasks differ in, the rest from COMMON.
 * Arguments in ini order: episodes, temp per layer, actor_lambda, critic_lambda, then per layer the
 * actor learning rate at start and end, the critic's at start and end, and end_t.
 */
function iniPreset(
  task: ChungTask,
  episodes: number,
  temp: number[],
  actorLambda: number,
  criticLambda: number,
  actorLrStart: number[],
  actorLrEnd: number[],
  criticLrStart: number[],
  criticLrEnd: number[],
  lrEndStep: number,
): ChungConfig {
  const common = { ...COMMON, hidden: [...COMMON.hidden], criticHidden: [...COMMON.criticHidden] };
  return { ...common, task, episodes, temp, actorLambda, criticLambda, actorLrStart, actorLrEnd, criticLrStart, criticLrEnd, lrEndStep };
}

/** Presets from config/config_{mp,cp,ab,ll}.ini (traces: the *_t.ini files differ only in actor_lambda). */
export const CHUNG_PRESETS: Readonly<Record<ChungTask, Readonly<ChungConfig>>> = {
  multiplexer: iniPreset('multiplexer', 800_000, [1, 1, 1], 0, 0.8, [0.01, 0.001, 0.0001], [0.01, 0.001, 0.0001], [0, 0, 0], [0, 0, 0], 50_000),
  cartpole: iniPreset('cartpole', 1000, [1, 1, 1], 0.8, 0.8, [0.02, 0.0002, 0.00002], [0.0002, 0.000002, 0.0000002], [0.04, 0.00004, 0.000004], [0.004, 0.00004, 0.000004], 50_000),
  acrobot: iniPreset('acrobot', 1000, [1, 1, 1], 0.8, 0.8, [0.1, 0.001, 0.0001], [0.01, 0.0001, 0.00001], [0.01, 0.00001, 0.000001], [0.01, 0.00001, 0.000001], 1_000_000),
  lunarlander: iniPreset('lunarlander', 3000, [1, 1, 2], 0.9, 0.9, [0.08, 0.0008, 0.00008], [0.08, 0.0008, 0.00008], [0.02, 0.00002, 0.000002], [0.02, 0.00002, 0.000002], 50_000),
};

/** A fresh, mutable copy of a task preset with overrides applied (arrays are copied too). */
export function chungPreset(task: ChungTask, overrides: Partial<ChungConfig> = {}): ChungConfig {
  const base = CHUNG_PRESETS[task];
  if (!base) throw new RangeError(`task must be one of ${CHUNG_TASKS.join(', ')}, got ${String(task)}`);
  const copy: ChungConfig = {
    ...base,
    hidden: [...base.hidden],
    temp: [...base.temp],
    criticHidden: [...base.criticHidden],
    actorLrStart: [...base.actorLrStart],
    actorLrEnd: [...base.actorLrEnd],
    criticLrStart: [...base.criticLrStart],
    criticLrEnd: [...base.criticLrEnd],
  };
  return { ...copy, ...overrides };
}

function checkInt(name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${name} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  }
}

function checkNum(name: string, v: unknown, lo: number, hi: number, loOpen = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    throw new RangeError(`${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${String(v)}`);
  }
}

function checkArray(name: string, v: unknown, len: number, each: (n: string, x: unknown) => void): void {
  if (!Array.isArray(v) || v.length !== len) {
    throw new RangeError(`${name} must be an array of length ${len}, got ${Array.isArray(v) ? `length ${v.length}` : String(v)}`);
  }
  v.forEach((x, i) => each(`${name}[${i}]`, x));
}

/** Throws a RangeError naming the first invalid field and its allowed range. */
export function validateChungConfig(c: ChungConfig): void {
  if (!CHUNG_TASKS.includes(c.task)) throw new RangeError(`task must be one of ${CHUNG_TASKS.join(', ')}, got ${String(c.task)}`);
  if (!CHUNG_RULES.includes(c.rule)) throw new RangeError(`rule must be one of ${CHUNG_RULES.join(', ')}, got ${String(c.rule)}`);
  if (typeof c.traces !== 'boolean') throw new RangeError(`traces must be a boolean, got ${String(c.traces)}`);
  if (c.traceForm !== 'code' && c.traceForm !== 'shifted') throw new RangeError(`traceForm must be one of code, shifted, got ${String(c.traceForm)}`);
  if (c.traces && c.task === 'multiplexer') throw new RangeError(`traces must be false for the multiplexer (single-step episodes), got true`);
  if (c.traces && c.traceForm === 'shifted' && c.rule !== 'weightmax') {
    throw new RangeError(`traceForm 'shifted' requires rule weightmax, got rule ${c.rule}`);
  }
  checkInt('replicas', c.replicas, 1, 4096);
  checkInt('episodes', c.episodes, 1, 1e9);
  checkInt('seed', c.seed, 0, 2 ** 32 - 1);
  if (!Array.isArray(c.hidden) || c.hidden.length < 1 || c.hidden.length > 8) {
    throw new RangeError(`hidden must be an array of 1 to 8 layer widths, got ${JSON.stringify(c.hidden)}`);
  }
  c.hidden.forEach((n, i) => checkInt(`hidden[${i}]`, n, 1, 1 << 24));
  checkInt('fanIn', c.fanIn, 0, 1 << 16);
  const L = c.hidden.length + 1;
  checkArray('temp', c.temp, L, (n, x) => checkNum(n, x, 0, 1e6, true));
  checkNum('gamma', c.gamma, 0, 1);
  checkNum('actorLambda', c.actorLambda, 0, 1);
  checkNum('criticLambda', c.criticLambda, 0, 1);
  if (!Array.isArray(c.criticHidden) || c.criticHidden.length < 1 || c.criticHidden.length > 8) {
    throw new RangeError(`criticHidden must be an array of 1 to 8 layer widths, got ${JSON.stringify(c.criticHidden)}`);
  }
  c.criticHidden.forEach((n, i) => checkInt(`criticHidden[${i}]`, n, 1, 1 << 16));
  checkArray('actorLrStart', c.actorLrStart, L, (n, x) => checkNum(n, x, 0, 10));
  checkArray('actorLrEnd', c.actorLrEnd, L, (n, x) => checkNum(n, x, 0, 10));
  const LC = c.criticHidden.length + 1;
  checkArray('criticLrStart', c.criticLrStart, LC, (n, x) => checkNum(n, x, 0, 10));
  checkArray('criticLrEnd', c.criticLrEnd, LC, (n, x) => checkNum(n, x, 0, 10));
  checkInt('lrEndStep', c.lrEndStep, 1, 1e12);
  checkNum('weightMaxP', c.weightMaxP, 1, 8);
  checkNum('weightDecay', c.weightDecay, 0, 10);
  checkNum('weightDecayP', c.weightDecayP, 1, 8);
  checkNum('adamBeta1', c.adamBeta1, 0, 1 - 1e-9);
  checkNum('adamBeta2', c.adamBeta2, 0, 1 - 1e-12);
  checkNum('adamEps', c.adamEps, 0, 1, true);
  checkInt('adamBiasCorrectionSteps', c.adamBiasCorrectionSteps, 0, 1e12);
  checkNum('thomasExplorers', c.thomasExplorers, 0, 1e9, true);
  checkInt('maxSteps', c.maxSteps, 0, 1e12);
}

/** The code's linear_interpolat: start + (end - start) * min(t, endT) / endT, per layer. */
export function annealedLr(start: readonly number[], end: readonly number[], endT: number, t: number): number[] {
  const frac = Math.min(t, endT) / endT;
  return start.map((s, i) => (end[i]! - s) * frac + s);
}
