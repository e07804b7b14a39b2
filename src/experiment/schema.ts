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
  })
  .describe('the agents and how they are wired');

export const ReinforceRuleSchema = z
  .strictObject({
    name: z.literal('reinforce', { error: 'must be one of reinforce' }).describe('per-neuron REINFORCE on the broadcast task reward, each neuron its own Adam'),
    lr: numIn(0, 1, "Adam step size of every neuron's optimiser", true).default(0.03),
    gamma: numIn(0, 1, 'discount of the per-neuron returns').default(0.99),
    beta1: numIn(0, 1, 'Adam first-moment decay', false).default(0.9),
    beta2: numIn(0, 1, 'Adam second-moment decay', false).default(0.999),
    eps: numIn(0, 1, 'Adam epsilon', true).default(1e-8),
  })
  .describe('the learning rule and the reward terms it maximises');

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
    env: EnvSchema,
    population: PopulationSchema.prefault({}),
    rule: z.discriminatedUnion('name', [ReinforceRuleSchema], { error: 'must be one of reinforce' }),
    run: RunSchema.prefault({}),
  })
  .describe('one experiment: agents x wiring x rule x env x run');

/** A validated experiment with every default filled. */
export type Experiment = z.output<typeof ExperimentSchema>;
/** What an experiment file may hold (defaults optional). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
