import { describe, expect, it } from 'vitest';
import balancedJson from '../../experiments/worm-chemotaxis-balanced.json';
import { inlineConnectomes } from '../../src/connectome/celegans-files.ts';
import { scoreReturns } from '../../src/connectome/worm-comparison.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { trainExperiment } from '../../src/experiment/train.ts';

describe('the connectome network learns chemotaxis (docs/worm.md, "A setting where it learns")', () => {
  it('experiments/worm-chemotaxis-balanced.json: after 2500 episodes the 302-neuron network climbs far better than untrained (CPU twins, one replica)', async () => {
    const x = inlineConnectomes(parseExperiment(balancedJson, ['run.seed=0', 'run.replicas=1', 'run.episodes=2500', 'run.backend=cpu']));
    const returns: number[] = [];
    await trainExperiment(x, {
      sink: {
        write(m) {
          if (typeof m['charts/episodic_return'] === 'number') returns.push(m['charts/episodic_return']);
        },
        flush: () => 0,
      },
    });
    expect(returns).toHaveLength(2500);
    const untrained = scoreReturns(returns, 250, 'first');
    const trained = scoreReturns(returns, 250, 'last');
    // Measured (seed 0, as connectome seed 0 of `reproduce worm-chemotaxis --file` this preset): end concentration 0.328 -> 0.508, the peak reached in 1% -> 16% of episodes.
    expect(untrained.concentration).toBeLessThan(0.36);
    expect(trained.concentration).toBeGreaterThan(untrained.concentration + 0.1);
    expect(trained.success).toBeGreaterThan(untrained.success + 0.05);
  }, 900_000);
});
