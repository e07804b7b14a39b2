import { CartPoleCpu } from '../envs/cartpole.ts';
import { CartPoleGpu } from '../envs/cartpole-gpu.ts';
import { cpuUnits, type BenchSuite } from './harness.ts';

/**
 * Batched CartPole-v1 steps: `size` envs, `CartPoleGpu.encodeStep` vs `CartPoleCpu.step`, each env
 * with a fixed random action, so episodes end and autoreset along the way as in training. The CPU
 * twin runs every env (a 2^22 step is well under a second).
 */
export const cartpoleBench: BenchSuite = {
  name: 'cartpole-step',
  unit: 'env-steps',
  async setup(ctx, size) {
    const E = size;
    const env = new CartPoleGpu(ctx, E);
    const binding = env.binding({ buffer: env.actions, stride: 1, offset: 0 }, { buffer: env.obs, stride: 4, offset: 0 });
    const actions = new Float32Array(E);
    for (let e = 0; e < E; e++) actions[e] = (Math.imul(e, 0x9e3779b1) >>> 31) & 1;
    ctx.device.queue.writeBuffer(env.actions, 0, actions);
    await env.reset(7);
    const Ec = cpuUnits(E, 1, 1 << 22);
    const cpu = new CartPoleCpu(Ec);
    cpu.reset(7);
    const cpuActions = actions.subarray(0, Ec);
    return {
      config: { envs: E },
      itemsPerStep: E,
      // Reads: state 16, action 4, steps + autoreset flag 8. Writes: state 16, steps, terminated,
      // truncated, autoreset 16, reward 4, observation 16.
      bytesPerStep: E * 80,
      cpuItems: Ec,
      encode: (pass) => env.encodeStep(pass, binding),
      cpuStep: () => cpu.step(cpuActions),
      destroy: () => env.destroy(),
    };
  },
};
