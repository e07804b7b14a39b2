import { describe, expect, it } from 'vitest';
import balancedJson from '../../experiments/worm-chemotaxis-balanced.json';
import weightMaxJson from '../../experiments/worm-chemotaxis-weightmax.json';
import { inlineConnectomes } from '../../src/connectome/celegans-files.ts';
import { scoreReturns } from '../../src/connectome/worm-comparison.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';

/** One replica's episode returns, seed 0, on the CPU twins. */
async function train(preset: unknown, episodes: number): Promise<number[]> {
  const x = inlineConnectomes(parseExperiment(preset, ['run.seed=0', 'run.replicas=1', `run.episodes=${episodes}`, 'run.backend=cpu']));
  const returns: number[] = [];
  await trainExperiment(x, {
    sink: {
      write(m) {
        if (typeof m['charts/episodic_return'] === 'number') returns.push(m['charts/episodic_return']);
      },
      flush: () => 0,
    },
  });
  expect(returns).toHaveLength(episodes);
  return returns;
}

describe('the connectome network learns chemotaxis (docs/worm.md, "A setting where it learns")', () => {
  // Measured (seed 0): balanced (as connectome seed 0 of `reproduce worm-chemotaxis --file` that
  // preset) end concentration 0.328 -> 0.508, the peak reached in 1% -> 16% of episodes; Weight Max
  // through time 0.349 over the first 100 episodes -> 0.723 over the last 250, 3% -> 32%, where the
  // balanced preset (hiddenRule reinforce) is still near the start at that budget (mean return 7
  // over episodes 1000-1250 against ~40): docs/worm.md.
  const CASES = [
    { file: 'worm-chemotaxis-balanced.json', preset: balancedJson as unknown, episodes: 2500, untrainedN: 250, untrainedBelow: 0.36, gain: 0.1, reachGain: 0.05 },
    { file: 'worm-chemotaxis-weightmax.json (Weight Max through time)', preset: weightMaxJson as unknown, episodes: 1250, untrainedN: 100, untrainedBelow: 0.38, gain: 0.2, reachGain: 0.2 },
  ];
  for (const c of CASES)
    it(`experiments/${c.file}: after ${c.episodes} episodes the 302-neuron network climbs far better than untrained (CPU twins, one replica)`, async () => {
      const returns = await train(c.preset, c.episodes);
      const untrained = scoreReturns(returns, c.untrainedN, 'first');
      const trained = scoreReturns(returns, 250, 'last');
      expect(untrained.concentration).toBeLessThan(c.untrainedBelow);
      expect(trained.concentration).toBeGreaterThan(untrained.concentration + c.gain);
      expect(trained.success).toBeGreaterThan(untrained.success + c.reachGain);
    }, 900_000);
});
