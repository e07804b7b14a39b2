// Per-dispatch-group GPU time of one step of the dense scaling network (64M-32M hidden units):
// npx tsx scripts/chung/profile-dense-step.ts [M = 16] [rule = weightmax] [replicas = 4] [reps = 200]
// Both kernel forms in one run: plain (SwiftShader's default) and hardware (a GPU's default).
// Each group of the step (runner.stepEncoders, in step order) is recorded `reps` times in one
// compute pass and submitted once; time per group = wall time / reps (dispatch overhead
// included: the per-dispatch figure of `hedonist bench` is the floor). Then whole steps the same
// way, for the sum. The state moves on while this runs: timing only, no results.
import { createNodeGpu } from '../../src/gpu/node.ts';
import { buildHostNet, chungMuxConfig, ChungMuxGpuRunner, type ChungMuxRule } from '../../src/learners/chung-multiplexer/index.ts';

const M = Number(process.argv[2] ?? 16);
const rule = (process.argv[3] ?? 'weightmax') as ChungMuxRule;
const replicas = Number(process.argv[4] ?? 4);
const reps = Number(process.argv[5] ?? 200);
const ctx = await createNodeGpu({});
const hidden = [Math.max(1, Math.round(64 * M)), Math.max(1, Math.round(32 * M))];
const c = chungMuxConfig({ hidden, rule, episodes: reps, replicas, seed: 1, backend: 'webgpu', stepsPerSubmit: 256 });
const time = async (encode: (p: GPUComputePassEncoder) => void): Promise<number> => {
  const enc = ctx.device.createCommandEncoder();
  const p = enc.beginComputePass();
  for (let i = 0; i < reps; i++) encode(p);
  p.end();
  const t = performance.now();
  ctx.device.queue.submit([enc.finish()]);
  await ctx.idle();
  return ((performance.now() - t) * 1000) / reps;
};
console.log(`adapter ${ctx.adapterName()}; M ${M} (hidden ${hidden.join('-')}), ${rule}, ${replicas} replicas, ${reps} reps`);
for (const hardwareKernels of [false, true]) {
  const r = new ChungMuxGpuRunner(ctx, c, buildHostNet(c, c.addressBits + (1 << c.addressBits)), { hardwareKernels });
  await ctx.checkAllocations();
  r.reset();
  await ctx.idle();
  for (let round = 0; round < 2; round++) {
    const us: number[] = [];
    for (const e of r.stepEncoders) us.push(await time(e));
    const step = await time((p) => r.stepEncoders.forEach((e) => e(p)));
    console.log(`${hardwareKernels ? 'hardware' : 'plain   '} round ${round}: µs per group ${us.map((u) => u.toFixed(1)).join(' ')} | sum ${us.reduce((a, b) => a + b, 0).toFixed(1)} | whole step ${step.toFixed(1)}`);
  }
  r.destroy();
}
ctx.destroy();
