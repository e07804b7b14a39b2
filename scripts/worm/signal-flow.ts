/**
 * Does the concentration signal reach the worm's motor neurons? Prints, for a pulse on ASER
 * (concentration falling) or ASEL held for some ticks, the change of every motor output's firing
 * rate and the most changed neurons, tick by tick, in the untrained connectome network of
 * experiments/worm-chemotaxis.json (src/connectome/signal-flow.ts; docs/worm.md "Why it does not learn").
 *
 *   npx tsx scripts/worm/signal-flow.ts [--channel 1] [--value 0.7] [--hold 6] [--lags 6] [--replicas 2000] [--set path=value ...]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { inlineConnectomes } from '../../src/connectome/celegans-files.ts';
import { CHEMOTAXIS_OUTPUTS } from '../../src/connectome/celegans.ts';
import { signalFlow } from '../../src/connectome/signal-flow.ts';
import { parseExperiment } from '../../src/experiment/load.ts';

const { values: a } = parseArgs({
  options: {
    channel: { type: 'string', default: '1' },
    value: { type: 'string', default: '0.7' },
    hold: { type: 'string', default: '6' },
    lags: { type: 'string', default: '6' },
    replicas: { type: 'string', default: '2000' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
const preset = JSON.parse(readFileSync(new URL('../../experiments/worm-chemotaxis.json', import.meta.url), 'utf8'));
const x = inlineConnectomes(parseExperiment(preset, a.set));
const f = signalFlow(x, { channel: Number(a.channel), value: Number(a.value), hold: Number(a.hold), lags: Number(a.lags), replicas: Number(a.replicas) });
const pct = (v: number) => `${(100 * v).toFixed(1)}`;
console.log(
  `pulse on ${x.population.wiring![0]!.kind === 'connectome' ? ['ASEL', 'ASER'][Number(a.channel)] : a.channel} = ${a.value} for ${a.hold} ticks, ${a.replicas} copies; mean rate without it ${pct(f.baseRate)}%`,
);
console.log(`motor rates without it: ${CHEMOTAXIS_OUTPUTS.map((n) => `${n} ${pct(f.baseRates[f.neurons.indexOf(n)]!)}`).join(', ')}`);
f.delta.forEach((d, k) => {
  const motor = CHEMOTAXIS_OUTPUTS.map((n) => `${n} ${pct(d[f.neurons.indexOf(n)]!)}`).join(', ');
  const top = [...d.keys()]
    .sort((i, j) => Math.abs(d[j]!) - Math.abs(d[i]!))
    .slice(0, 5)
    .map((i) => `${f.neurons[i]} ${pct(d[i]!)}`)
    .join(', ');
  const maxMotor = Math.max(...CHEMOTAXIS_OUTPUTS.map((n) => Math.abs(d[f.neurons.indexOf(n)]!)));
  console.log(`lag ${k + 1}: largest |motor change| ${pct(maxMotor)} points | motor: ${motor} | most changed: ${top}`);
});
