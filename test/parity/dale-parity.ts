import { daleProjectCpu, daleSigns, randomFanIn } from '../../src/connectivity/fan-in.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { readF32 } from '../../src/gpu/readback.ts';
import { DaleProjectKernel } from '../../src/kernels/dale-project.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/** Dale's-law projection on the GPU vs daleProjectCpu: every weight equal bit for bit. */
export async function daleParity(ctx: GpuContext): Promise<ParityReport> {
  const R = 3, N = 700, K = 24, pre = 500;
  const fanIn = { ...randomFanIn(8, N, K, pre), sign: daleSigns(8, pre, 0.7) };
  const rng = new CounterRng(9, Stream.test);
  const theta = Float32Array.from({ length: R * (K + 1) * N }, () => rng.range(-1, 1));
  const kernel = new DaleProjectKernel(ctx, fanIn, R);
  const index = ctx.createBufferFrom('dale:index', fanIn.index);
  const thetaBuf = ctx.createBufferFrom('dale:theta', theta);
  try {
    const group = kernel.group({ fanInIndex: index, theta: thetaBuf });
    await runPass(ctx, 'dale-project', (pass) => kernel.encode(pass, group));
    const gpu = await readF32(ctx, thetaBuf);
    const cpu = theta.slice();
    daleProjectCpu(cpu, fanIn, R);
    let exactMismatches = 0, zeroed = 0;
    for (let i = 0; i < cpu.length; i++) {
      if (gpu[i] !== cpu[i]) exactMismatches++;
      if (cpu[i] === 0 && theta[i] !== 0) zeroed++;
    }
    return { name: 'dale-project', count: cpu.length, exactMismatches, maxAbsError: 0, notes: { zeroed } };
  } finally {
    kernel.destroy();
    index.destroy();
    thetaBuf.destroy();
  }
}
