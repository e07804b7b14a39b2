import { ENVS } from '../../src/envs/registry.ts';
import type { Experiment } from '../../src/experiment/schema.ts';
import type { Executor } from '../../src/run/executor.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';
import type { Model } from '../../src/run/model.ts';
import type { EnvViewKind } from './env-view.ts';
import { hostBuffers } from './host-buffers.ts';

/** Most raster rows drawn (the first units of the activity row). */
const MAX_UNITS = 192;

/** What a demo can see of one replica between chunks: the env's state (or observation) and the units' activity. */
export interface Snapshot {
  env?: Float32Array;
  activity?: Float32Array;
}

/**
 * Reads one replica's env state and unit activity from the running executor. The env: `env.state`
 * (CartPole, Acrobot) or the observation the env op writes (LunarLander, whose state lives in
 * Box2D on the host). The activity: the population's activity row (`act-a`: inputs then every
 * layer's spikes), Ott's `signals`, or Weight Max's actor layer values (`actor.<l>.values`).
 * On the CPU the executor's live arrays are read; on WebGPU the chunks in flight are drained
 * first and the buffers copied back.
 */
export class ReplicaProbe {
  readonly envKind?: EnvViewKind;
  readonly activityUnits: number;
  /** What the raster rows are. */
  readonly activityLabel: string;
  private readonly envSource?: { buffer: string; stride: number; offset: number; floats: number };
  private readonly activitySources: { buffer: string; perReplica: number }[];

  constructor(model: Model, x: Experiment) {
    const R = x.run.replicas;
    const length = (name: string) => model.program.buffers.find((b) => b.name === name)?.length ?? 0;
    const envName = x.env?.name;
    if (envName === 'cartpole' || envName === 'acrobot') {
      this.envKind = envName;
      this.envSource = { buffer: 'env.state', stride: 4, offset: 0, floats: 4 };
    } else if (envName === 'lunar-lander') {
      const op = model.program.step.find((o) => o.kernel === ENVS['lunar-lander'].kernel);
      const obs = op?.bind.obsOut;
      const slot = (op?.layout as { obs?: { stride: number; offset: number } } | undefined)?.obs;
      if (obs && slot) {
        this.envKind = 'lunar-lander';
        this.envSource = { buffer: typeof obs === 'string' ? obs : obs[0]!, stride: slot.stride, offset: slot.offset, floats: 8 };
      }
    }
    const names = model.program.buffers.map((b) => b.name);
    const activity = names.includes('act-a') ? ['act-a'] : names.includes('signals') ? ['signals'] : names.filter((n) => /^actor\.\d+\.values$/.test(n)).slice(0, -1);
    this.activitySources = activity.map((buffer) => ({ buffer, perReplica: length(buffer) / R })).filter((s) => Number.isInteger(s.perReplica) && s.perReplica > 0);
    this.activityLabel = activity[0] === 'act-a' ? 'inputs, then each layer' : activity[0] === 'signals' ? 'inputs, then each layer' : "the actor's hidden layers";
    this.activityUnits = Math.min(
      MAX_UNITS,
      this.activitySources.reduce((n, s) => n + s.perReplica, 0),
    );
  }

  async read(exec: Executor, replica: number): Promise<Snapshot> {
    const buffers = [...new Set([...(this.envSource ? [this.envSource.buffer] : []), ...this.activitySources.map((s) => s.buffer)])];
    if (!buffers.length) return {};
    const get: (name: string) => HostArray = await hostBuffers(exec, buffers);
    const out: Snapshot = {};
    if (this.envSource) {
      const e = this.envSource;
      const a = get(e.buffer);
      const base = replica * e.stride + e.offset;
      out.env = Float32Array.from({ length: e.floats }, (_, i) => Number(a[base + i] ?? 0));
    }
    if (this.activitySources.length) {
      const act = new Float32Array(this.activityUnits);
      let k = 0;
      for (const s of this.activitySources) {
        const a = get(s.buffer);
        for (let i = 0; i < s.perReplica && k < act.length; i++) act[k++] = Number(a[replica * s.perReplica + i]);
      }
      out.activity = act;
    }
    return out;
  }
}
