import { ADAM_DEFAULTS } from '../chung/adam.ts';
import { createCritic, criticBackward, criticForward, criticLearn } from '../chung/critic.ts';
import { GpuCritic } from '../chung/critic-gpu.ts';
import { paramCount } from '../chung/network.ts';
import { cpuUnits, fillUniform, type BenchSuite } from './harness.ts';

/** The paper's critic: observations (LunarLander's 8) -> 64 softplus -> 32 softplus -> 1 linear. */
const OBS = 8;
const HIDDEN = [64, 32];
const LR = [0.02, 0.00002, 0.000002];

/**
 * One TD(lambda) step of the Weight Max critic (shaders/chung-critic-*.wgsl via GpuCritic) for
 * R replicas: forward pass, Adam on u = e * delta, and the backward pass into the traces, i.e.
 * the critic's share of one environment step. Items are critic parameter-updates (R x 2,689
 * parameters); critic updates/s = items/s / 2,689. The TD error, observations and learning rate
 * stay fixed, so every timed step repeats the same amount of work; bias correction is off (t past
 * the code's 1000), as for all but the first 1000 steps of a run.
 */
export const criticBench: BenchSuite = {
  name: 'critic',
  unit: 'param-updates',
  setup(ctx, size) {
    const probe = createCritic(1, OBS, HIDDEN, 1);
    const P = paramCount(probe.net);
    const R = Math.max(1, Math.ceil(size / P));
    const Rc = cpuUnits(R, P);
    const obs = fillUniform(new Float32Array(R * OBS), -1, 1, 3);
    const delta = fillUniform(new Float32Array(R), -0.5, 0.5, 5);

    const critic = createCritic(R, OBS, HIDDEN, 1);
    const gpu = new GpuCritic(ctx, critic);
    gpu.upload(critic);
    gpu.writeObs(obs);
    gpu.writeDelta(delta);
    gpu.writeMask(new Uint32Array(R));
    gpu.setDecay(0.9 * 0.98);
    gpu.setLearn(LR, 2000, ADAM_DEFAULTS);

    const cpu = createCritic(Rc, OBS, HIDDEN, 1);
    const cpuObs = obs.subarray(0, Rc * OBS);
    const cpuDelta = delta.subarray(0, Rc);
    return {
      config: { replicas: R, obs: OBS, hidden: HIDDEN.join('-'), paramsPerReplica: P },
      itemsPerStep: R * P,
      // Per parameter: w, e, m, v each read and written once (forward and Adam read w; the
      // backward pass reads the layer above's w again, counted once). Per replica: observations,
      // TD error, mask; activations are a few words per unit, left out.
      bytesPerStep: R * P * 32 + R * (OBS + 2) * 4,
      cpuItems: Rc * P,
      encode(pass) {
        gpu.encodeForward(pass);
        gpu.encodeLearn(pass);
        gpu.encodeBackward(pass);
      },
      cpuStep() {
        criticForward(cpu, cpuObs);
        criticLearn(cpu, cpuDelta, LR, 2000, ADAM_DEFAULTS);
        criticBackward(cpu, 0.9 * 0.98);
      },
      destroy: () => gpu.destroy(),
    };
  },
};
