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
  it('experiments/worm-chemotaxis-balanced.json: after 2500 episodes the 302-neuron network climbs far better than untrained (CPU twins, one replica)', async () => {
    const returns = await train(balancedJson, 2500);
    const untrained = scoreReturns(returns, 250, 'first');
    const trained = scoreReturns(returns, 250, 'last');
    // Measured (seed 0, as connectome seed 0 of `reproduce worm-chemotaxis --file` this preset): end concentration 0.328 -> 0.508, the peak reached in 1% -> 16% of episodes.
    expect(untrained.concentration).toBeLessThan(0.36);
    expect(trained.concentration).toBeGreaterThan(untrained.concentration + 0.1);
    expect(trained.success).toBeGreaterThan(untrained.success + 0.05);
  }, 900_000);

  it('experiments/worm-chemotaxis-weightmax.json (Weight Max through time): after 1250 episodes it climbs far better than untrained (CPU twins, one replica)', async () => {
    const returns = await train(weightMaxJson, 1250);
    const untrained = scoreReturns(returns, 100, 'first');
    const trained = scoreReturns(returns, 250, 'last');
    // Measured (seed 0): end concentration 0.349 over the first 100 episodes -> 0.723 over the last 250,
    // the peak reached in 3% -> 32%. The balanced preset (hiddenRule reinforce) is still near the start
    // at this budget (mean return 7 over episodes 1000-1250 against ~40 here): docs/worm.md.
    expect(untrained.concentration).toBeLessThan(0.38);
    expect(trained.concentration).toBeGreaterThan(untrained.concentration + 0.2);
    expect(trained.success).toBeGreaterThan(untrained.success + 0.2);
  }, 900_000);
});
