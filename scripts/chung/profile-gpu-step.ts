// Per-dispatch-group wall time of one GPU step of the million preset (ms per group, 3 repeats):
// npx tsx scripts/chung/profile-gpu-step.ts [units = 2^18] [fuse = 1: chung-sgd-scatter on, 0: off]
// Groups in order: first-layer forward, big-layer forward, output (partial + softmax), env score,
// output reward + update, big-layer reward (+ update when unfused), first-layer gather (fused with
// the big layer's SGD step) + sum + Adam, next input, clock.
import { createNodeGpu } from '../../src/gpu/node.ts';
import { millionConfig, buildHostNet, ChungMuxGpuRunner } from '../../src/learners/chung-multiplexer/index.ts';
const ctx = await createNodeGpu({});
const units = Number(process.argv[2] ?? 1 << 18);
const c = millionConfig({ units, episodes: 4, stepsPerSubmit: 4 });
c.fuseSgdScatter = process.argv[3] !== '0';
const r = new ChungMuxGpuRunner(ctx, c, buildHostNet(c, c.addressBits + (1 << c.addressBits)));
await ctx.checkAllocations(); r.reset(); await ctx.idle();
for (let rep = 0; rep < 3; rep++) {
  const times: string[] = [];
  let total = 0;
  for (const e of r.stepEncoders) {
    const t = performance.now();
    const enc = ctx.device.createCommandEncoder(); const p = enc.beginComputePass(); e(p); p.end(); ctx.device.queue.submit([enc.finish()]);
    await ctx.idle();
    const dt = performance.now() - t;
    total += dt;
    times.push(dt.toFixed(0));
  }
  console.log(`units ${units} fuse ${c.fuseSgdScatter}: ${times.join(' ')} total ${total.toFixed(0)}`);
}
r.destroy();
ctx.destroy();
