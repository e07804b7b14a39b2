import { daleProjectCpu, daleSigns, randomFanIn } from '../../src/connectivity/fan-in.ts';
import type { GpuContext } from '../../src/gpu/context.ts';
import { runPass } from '../../src/gpu/kernel.ts';
import { readF32 } from '../../src/gpu/readback.ts';
import { DALE_PROJECT } from '../../src/kernels/dale-project.ts';
import { CounterRng, Stream } from '../../src/rng/counter-rng.ts';
import type { ParityReport } from './rng-parity.ts';

/** Dale's-law projection on the GPU vs daleProjectCpu: every weight equal bit for bit. */
export async function daleParity(ctx: GpuContext): Promise<ParityReport> {
  const R = 3,
    N = 700,
    K = 24,
    pre = 500;
  const fanIn = { ...randomFanIn(8, N, K, pre), sign: daleSigns(8, pre, 0.7) };
  const rng = new CounterRng(9, Stream.test);
  const theta = Float32Array.from({ length: R * (K + 1) * N }, () => rng.range(-1, 1));
  const layout = { replicas: R, neurons: N, fanIn: K, presynaptic: pre };
  const kernel = DALE_PROJECT.gpu!(ctx, layout);
  const signs = new Uint32Array(Int32Array.from(fanIn.sign).buffer);
  const index = ctx.createBufferFrom('dale:index', fanIn.index);
  const sign = ctx.createBufferFrom('dale:sign', signs);
  const thetaBuf = ctx.createBufferFrom('dale:theta', theta);
  try {
    const group = kernel.group({ fanInIndex: index, sign, theta: thetaBuf }, 'test');
    await runPass(ctx, 'dale-project', (pass) => kernel.encode(pass, group));
    const gpu = await readF32(ctx, thetaBuf);
    const cpu = theta.slice();
    daleProjectCpu(cpu, fanIn, R);
    // The registered twin over the same arrays does the same.
    const twin = theta.slice();
    DALE_PROJECT.cpu(layout, { fanInIndex: fanIn.index, sign: signs, theta: twin })();
    for (let i = 0; i < cpu.length; i++) if (twin[i] !== cpu[i]) throw new Error(`DALE_PROJECT's twin differs from daleProjectCpu at ${i}`);
    let exactMismatches = 0,
      zeroed = 0;
    for (let i = 0; i < cpu.length; i++) {
      if (gpu[i] !== cpu[i]) exactMismatches++;
      if (cpu[i] === 0 && theta[i] !== 0) zeroed++;
    }
    return { name: 'dale-project', count: cpu.length, exactMismatches, maxAbsError: 0, notes: { zeroed } };
  } finally {
    kernel.destroy();
    index.destroy();
    sign.destroy();
    thetaBuf.destroy();
  }
}
