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

export const PopulationSchema = z
  .strictObject({
    agents: choice(['logistic-neurons'] as const, 'what the agents are: Bernoulli-logistic neuron-agents').default('logistic-neurons'),
    hidden: z.array(intIn(1, 65536, 'neurons in one hidden layer')).max(16, { error: 'must list at most 16 hidden layers' }).default([8]).describe('hidden layer sizes, input to output; the action layer follows'),
    fanIn: intIn(0, 65536, 'presynaptic units per hidden neuron; 0 (or at least the layer below) = dense, else that many drawn at random per neuron (rule weight-max)').default(0),
  })
  .describe('the agents and how they are wired');

export const ReinforceRuleSchema = z
  .strictObject({
    name: z.literal('reinforce', { error: 'must be one of reinforce, weight-max' }).describe('per-neuron REINFORCE on the broadcast task reward, each neuron its own Adam'),
    lr: numIn(0, 1, "Adam step size of every neuron's optimiser", true).default(0.03),
    gamma: numIn(0, 1, 'discount of the per-neuron returns').default(0.99),
    beta1: numIn(0, 1, 'Adam first-moment decay', false).default(0.9),
    beta2: numIn(0, 1, 'Adam second-moment decay', false).default(0.999),
    eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
  })
  .describe('the learning rule and the reward terms it maximises');

const lrSchedule = (doc: string) =>
  z
    .strictObject({
      start: z.array(numIn(0, 10, 'learning rate of one layer at step 0')).min(1, { error: 'must list one rate per layer' }).describe('per layer, input to output'),
      end: z.array(numIn(0, 10, 'learning rate of one layer from lrEndStep on')).min(1, { error: 'must list one rate per layer' }).describe('per layer, input to output'),
    })
    .optional()
    .describe(doc);

export const WeightMaxRuleSchema = z
  .strictObject({
    name: z.literal('weight-max', { error: 'must be one of reinforce, weight-max' }).describe("Chung (2022): an actor-critic whose hidden units learn by Weight Max (or a baseline rule); unset numbers take the paper's config for the env (CartPole's for an env the paper did not run)"),
    hiddenRule: choice(['weightmax', 'reinforce', 'thomas', 'ste', 'backprop'] as const, "how hidden units learn: weightmax (reward = change of their outgoing weights' L^p norm), reinforce (the TD error broadcast), thomas (REINFORCE exploring on some steps), ste (straight-through backprop), backprop (ReLU units)").default('weightmax'),
    traces: z.boolean({ error: 'must be true or false' }).default(false).describe('eligibility traces in the actor (lambda = actorLambda); false: lambda = 0'),
    traceForm: choice(['code', 'shifted'] as const, "with traces: the paper code's accumulating traces, or its eqs. 13-17 (pipelined layers, delayed traces; weightmax only)").default('code'),
    gamma: numIn(0, 1, 'discount').optional(),
    actorLambda: numIn(0, 1, "the actor's trace decay when traces is on (times gamma)").optional(),
    criticLambda: numIn(0, 1, "the critic's TD(lambda) trace decay (times gamma)").optional(),
    criticHidden: z.array(intIn(1, 65536, 'softplus units in one critic layer')).min(1).max(8).optional().describe("the critic's hidden layer sizes (its output is one linear unit)"),
    temp: z.array(numIn(0, 1e6, 'temperature of one actor layer', true)).optional().describe('temperature per actor layer, hidden layers then the softmax output (default 1 each)'),
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
  })
  .describe("Chung's Weight Maximization family: actor-critic with per-unit learning rules");

export const RunSchema = z
  .strictObject({
    seed: intIn(0, 2 ** 32 - 1, 'seed of every random draw (init, spikes, env resets)').default(0),
    replicas: intIn(1, 1 << 20, 'independent networks trained at once, each with its own env').default(8),
    episodes: intIn(1, 1_000_000, 'episodes per replica').default(1000),
    backend: choice(['auto', 'webgpu', 'cpu'] as const, "where the kernels run: 'auto' picks the CPU twins on a software adapter, WebGPU on a hardware one").default('auto'),
    stepsPerChunk: intIn(1, 2000, 'env steps per chunk: one submit on the GPU, one metrics readback').default(250),
    maxSteps: intIn(0, 1e12, 'cap on env steps per replica, 0 = none (rule weight-max)').default(0),
  })
  .describe('replicas, seed, budget and backend');

export const ExperimentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('a JSON-schema reference for editors (ignored)'),
    name: z.string().regex(/^[\w.-]+$/, { error: "must hold only letters, digits, '.', '_' and '-'" }).optional().describe('the run name prefix'),
    description: z.string().optional().describe('free text'),
    env: EnvSchema,
    population: PopulationSchema.prefault({}),
    rule: z.discriminatedUnion('name', [ReinforceRuleSchema, WeightMaxRuleSchema], { error: 'must be one of reinforce, weight-max' }),
    run: RunSchema.prefault({}),
  })
  .describe('one experiment: agents x wiring x rule x env x run');

/** A validated experiment with every default filled. */
export type Experiment = z.output<typeof ExperimentSchema>;
/** What an experiment file may hold (defaults optional). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
