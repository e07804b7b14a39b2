import type { EnvDef } from '../envs/registry.ts';
import { REINFORCE_RULE } from '../rules/reinforce-model.ts';
import { GD_RULE, SYNAPTIC_Q_RULE } from '../rules/synaptic-q.ts';
import type { Model } from '../run/model.ts';

/**
 * A learning rule as an experiment file names it: its schema (the `rule` object, discriminated by
 * `name`) and the builder that composes the population, the env and its own kernels into a model.
 */
export interface RuleEntry<X = unknown> {
  /** True when the rule steps an env (`env` is then required); dataset rules bring their own task. */
  needsEnv: boolean;
  build(x: X, env: EnvDef): Model;
}

/** Registered rules, by `rule.name`. Adding one is one line here and one union member in schema.ts. */
export const RULES = {
  reinforce: REINFORCE_RULE,
  'synaptic-q': SYNAPTIC_Q_RULE,
  gd: GD_RULE,
} satisfies Record<string, RuleEntry<never>>;
