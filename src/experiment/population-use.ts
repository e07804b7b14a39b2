import { ConfigError } from '../config/validate.ts';
import { PopulationSchema, type Experiment } from './schema.ts';

/** The optional `population` fields a rule may or may not read (RuleEntry.reads). */
export type PopulationField = 'wiring' | 'dale' | 'fanIn' | 'mlpHidden' | 'leakySlope';

type Population = Experiment['population'];

/** What an empty `population` gives (the schema's defaults). */
const DEFAULT: Population = PopulationSchema.parse({});

/** Whether a field holds something other than what leaving it out gives (an all-dense wiring is no wiring). */
const SET: Record<PopulationField, (p: Population) => boolean> = {
  wiring: (p) => p.wiring !== undefined && p.wiring.some((w) => w.kind !== 'dense'),
  dale: (p) => p.dale !== undefined,
  fanIn: (p) => p.fanIn !== DEFAULT.fanIn,
  mlpHidden: (p) => p.mlpHidden !== DEFAULT.mlpHidden,
  leakySlope: (p) => p.leakySlope !== DEFAULT.leakySlope,
};

const readerText = (r: string[]) => (r.length === 0 ? 'no rule does' : r.length === 1 ? `rule ${r[0]} does` : `rules ${r.join(', ')} do`);

/**
 * Refuse a `population` field the rule does not read (one line naming the field and the rules that
 * do read it), so that e.g. a connectome wiring under rule weight-max is not trained as a dense net.
 */
export function checkPopulationUse(x: Experiment, rules: Record<string, { reads: readonly PopulationField[] }>): void {
  const reads = rules[x.rule.name]!.reads;
  for (const field of Object.keys(SET) as PopulationField[]) {
    if (reads.includes(field) || !SET[field](x.population)) continue;
    const readers = Object.keys(rules).filter((name) => rules[name]!.reads.includes(field));
    throw new ConfigError(
      `population.${field}`,
      `population.${field}: rule ${x.rule.name} does not use it (${readerText(readers)}); leave it out${field === 'wiring' ? ' or list only dense layers' : ''}`,
    );
  }
}
