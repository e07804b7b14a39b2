// A user's browser page, bundled by esbuild: the packed hedonist trains CartPole on WebGPU.
import { createBrowserGpu, run } from 'hedonist/browser';

window.result = (async () => {
  const ctx = await createBrowserGpu();
  const r = await run(
    {
      env: { name: 'cartpole' },
      population: { agents: 'logistic-neurons', hidden: [8] },
      rule: { name: 'reinforce', lr: 0.03, gamma: 0.99 },
      run: { seed: 3, replicas: 4, episodes: 10, backend: 'webgpu', stepsPerChunk: 100 },
    },
    { ctx },
  );
  return { backend: r.backend, adapter: r.adapter, envSteps: r.envSteps, summary: r.summary };
})().catch((e) => ({ error: String(e && e.stack ? e.stack : e) }));
