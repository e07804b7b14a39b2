// A user's browser page, bundled by esbuild: the packed hedonist trains CartPole on WebGPU.
import { createBrowserGpu, run } from 'hedonist/browser';
import experiment from './experiment.json' with { type: 'json' };

window.result = (async () => {
  const ctx = await createBrowserGpu();
  const r = await run(experiment, { ctx, sets: ['run.backend="webgpu"', 'run.episodes=10', 'run.stepsPerChunk=100'] });
  return { backend: r.backend, adapter: r.adapter, envSteps: r.envSteps, summary: r.summary };
})().catch((e) => ({ error: String(e && e.stack ? e.stack : e) }));
