import { CARTPOLE_REINFORCE_DEFAULTS } from '../../learners/cartpole-reinforce/config.ts';
import { trainCartpoleReinforce, type CartpoleReinforceSummary } from '../../learners/cartpole-reinforce/train.ts';
import { COMMON_TRAIN_FLAGS, withRun, type CliCommand } from '../command.ts';

const D = CARTPOLE_REINFORCE_DEFAULTS;

export const cartpoleReinforceCommand: CliCommand = {
  path: ['train', 'cartpole-reinforce'],
  summary: 'logistic neuron-agents learn CartPole-v1 by per-neuron REINFORCE on the broadcast reward',
  flags: {
    ...COMMON_TRAIN_FLAGS,
    replicas: { type: 'int', min: 1, max: 1 << 20, default: D.replicas, help: 'independent networks trained at once' },
    episodes: { type: 'int', min: 1, max: 1_000_000, default: D.episodes, help: 'episodes per replica' },
    hidden: { type: 'int', min: 1, max: 4096, default: D.hidden, help: 'hidden neuron-agents' },
    lr: { type: 'number', min: 1e-6, max: 1, default: D.lr, help: "Adam step size of each neuron's optimiser" },
    backend: { type: 'choice', choices: ['webgpu', 'cpu'], default: D.backend, help: 'run the kernels on WebGPU or as their CPU twins' },
  },
  async run(f, io) {
    const backend = f.backend as 'webgpu' | 'cpu';
    const ctx = backend === 'webgpu' ? await io.gpu() : undefined;
    const recent: number[] = [];
    return withRun(io, 'cartpole-reinforce', f.name as string | undefined, async (dir, bar) => {
      const summary: CartpoleReinforceSummary = await trainCartpoleReinforce(
        { seed: f.seed as number, replicas: f.replicas as number, episodes: f.episodes as number, hidden: f.hidden as number, lr: f.lr as number, backend },
        {
          ctx,
          hooks: {
            onEpisode(m) {
              dir.log({ 'charts/episodic_return': m.return, replica: m.replica, episode: m.episode });
              recent.push(m.return);
              if (recent.length > 100) recent.shift();
            },
            onProgress(done, total) {
              bar.update(done, total, { 'return(last 100 eps)': recent.reduce((a, b) => a + b, 0) / Math.max(recent.length, 1) });
            },
          },
        },
      );
      return summary;
    });
  },
  format(r) {
    const s = r as unknown as CartpoleReinforceSummary & { runDir: string };
    return [
      `cartpole-reinforce on ${s.backend} (${s.adapter}), seed ${s.seed}, ${s.replicas} replicas x ${s.episodes} episodes, ${s.wallSeconds.toFixed(1)} s`,
      `mean return, first 100 episodes: ${s.first100MeanReturn.map((x) => x.toFixed(0)).join(' ')}`,
      `mean return, last 100 episodes:  ${s.last100MeanReturn.map((x) => x.toFixed(0)).join(' ')}`,
      `over replicas: ${s.last100MeanOverReplicas.toFixed(1)} +- ${s.last100StdOverReplicas.toFixed(1)} (a random policy averages ~22)`,
      `metrics: ${s.runDir}/metrics.jsonl`,
    ].join('\n');
  },
};
