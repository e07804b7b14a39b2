import type { MnistSource } from '../data/mnist.ts';
import type { EnvDef } from '../envs/registry.ts';
import { OTT_RULE } from '../rules/ott.ts';
import { CODING_COST_RULE } from '../rules/coding-cost.ts';
import { REINFORCE_RULE } from '../rules/reinforce-model.ts';
import { WEIGHT_MAX_RULE } from '../rules/weight-max.ts';
import { GD_RULE, SYNAPTIC_Q_RULE } from '../rules/synaptic-q.ts';
import { WEIGHT_MAX_SPARSE_RULE } from '../rules/weight-max-sparse.ts';
import type { Model } from '../run/model.ts';
import type { PopulationField } from './population-use.ts';

/**
 * A learning rule as an experiment file names it: its schema (the `rule` object, discriminated by
 * `name`) and the builder that composes the population, the env and its own kernels into a model.
 */
/** What a rule's builder may ask for beyond the experiment: its datasets (a tab passes fetched ones; Node reads files). */
export interface BuildInputs {
  /** MNIST for the rules that train on it (synaptic-q, gd). */
  mnist: MnistSource;
}

export interface RuleEntry<X = unknown> {
  /** True when the rule steps an env (`env` is then required); dataset rules bring their own task. */
  needsEnv: boolean;
  /**
   * The optional `population` fields the builder reads (beyond `hidden` and `agents`, which every
   * builder checks itself); buildModel refuses any other set away from its default, so no field is
   * silently ignored (src/experiment/population-use.ts).
   */
  reads: readonly PopulationField[];
  build(x: X, env: EnvDef, inputs: BuildInputs): Model;
  /** Lines of the human-readable run summary after its first line (`hedonist run`); the episodic-return lines when absent. */
  summaryLines?(summary: never): string[];
  /** The whole human-readable summary, when a rule's output is not episodic at all. */
  format?(summary: Record<string, unknown>): string;
}

/** Registered rules, by `rule.name`. Adding one is one line here and one union member in schema.ts. */
export const RULES = {
  reinforce: REINFORCE_RULE,
  ott: OTT_RULE,
  'weight-max': WEIGHT_MAX_RULE,
  'weight-max-sparse': WEIGHT_MAX_SPARSE_RULE,
  'coding-cost': CODING_COST_RULE,
  'synaptic-q': SYNAPTIC_Q_RULE,
  gd: GD_RULE,
} satisfies Record<string, RuleEntry<never>>;
