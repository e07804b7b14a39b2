// Per-dispatch-group wall time of one GPU step of the million network (units from argv, default 2^18):
// npx tsx scripts/chung/profile-gpu-step.ts 262144
import { createNodeGpu } from '../../src/gpu/node.ts';
import { chungMuxConfig, buildHostNet, ChungMuxGpuRunner } from '../../src/learners/chung-multiplexer/index.ts';
const ctx = await createNodeGpu({});
const units = Number(process.argv[2] ?? 1 << 18);
const c = chungMuxConfig({ addressBits: 3, hidden: [256, units], fanIn: [0, 64], optimizer: ['adam', 'sgd', 'adam'], lr: [0.01, 10, 1e-5], episodes: 4, stepsPerSubmit: 4 });
const r = new ChungMuxGpuRunner(ctx, c, buildHostNet(c, 11));
await ctx.checkAllocations(); r.reset(); await ctx.idle();
for (let rep = 0; rep < 2; rep++) {
  const times: string[] = [];
  for (const e of r.stepEncoders) {
    const t = performance.now();
    const enc = ctx.device.createCommandEncoder(); const p = enc.beginComputePass(); e(p); p.end(); ctx.device.queue.submit([enc.finish()]);
    await ctx.idle();
    times.push((performance.now() - t).toFixed(0));
  }
  console.log(times.join(' '));
}
ctx.destroy();
