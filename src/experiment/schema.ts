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
    env: EnvSchema.optional(),
    population: PopulationSchema.prefault({}),
    rule: z.discriminatedUnion('name', [ReinforceRuleSchema], { error: 'must be one of reinforce' }).describe('the learning rule every agent follows and the reward terms it maximises'),
    run: RunSchema.prefault({}),
  })
  .describe('one experiment: agents x wiring x rule x env x run');

/** A validated experiment with every default filled. */
export type Experiment = z.output<typeof ExperimentSchema>;
/** What an experiment file may hold (defaults optional). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
