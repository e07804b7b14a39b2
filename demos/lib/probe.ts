import { ENVS } from '../../src/envs/registry.ts';
import type { Experiment } from '../../src/experiment/schema.ts';
import type { Executor } from '../../src/run/executor.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';
import type { Model } from '../../src/run/model.ts';
import type { EnvViewKind } from './env-view.ts';
import { hostBuffers } from './host-buffers.ts';

/** Most raster rows drawn (the first units of the activity row). */
const MAX_UNITS = 192;

/** Units of one buffer: `units` per replica, unit i of replica r's value in [0, 1] read by `at`. */
interface ActivitySource {
  buffer: string;
  units: number;
  at(a: HostArray, replica: number, i: number): number;
}

/** What a demo can see of one replica between chunks: the env's state (or observation) and the units' activity. */
export interface Snapshot {
  env?: Float32Array;
  activity?: Float32Array;
}

/**
 * Reads one replica's env state and unit activity from the running executor. The env: `env.state`
 * (CartPole, Acrobot) or the observation the env op writes (LunarLander, whose state lives in
 * Box2D on the host). The activity: the population's activity row (`act-a`: inputs then every
 * layer's spikes), Ott's `signals`, synaptic Q's synapse actions (a move is a spike), the spikes of
 * Chalk's learners' chains (chain r for replica r), or Weight Max's actor layer values (`actor.<l>.values`,
 * `layer.<l>.values` in the sparse layout).
 * On the CPU the executor's live arrays are read; on WebGPU the chunks in flight are drained
 * first and the buffers copied back.
 */
export class ReplicaProbe {
  readonly envKind?: EnvViewKind;
  readonly activityUnits: number;
  /** What the raster rows are. */
  readonly activityLabel: string;
  private readonly envSource?: { buffer: string; stride: number; offset: number; floats: number };
  private readonly activitySources: ActivitySource[];

  /** `maxUnits`: the most units read (the raster's rows; a firing-rate image takes more). */
  constructor(model: Model, x: Experiment, maxUnits = MAX_UNITS) {
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
    const has = (n: string) => names.includes(n);
    const rows = (buffer: string, perReplica: number): ActivitySource[] =>
      Number.isInteger(perReplica) && perReplica > 0 ? [{ buffer, units: perReplica, at: (a, r, i) => Number(a[r * perReplica + i]) }] : [];
    if (has('act-a') || has('signals')) {
      const b = has('act-a') ? 'act-a' : 'signals';
      this.activitySources = rows(b, length(b) / R);
      this.activityLabel = 'inputs, then each layer';
    } else if (has('actions') && has('q-a') && has('weights')) {
      // Synaptic Q: every synapse an agent; its pending action (a byte of 'actions': 0 decrease,
      // 1 hold, 2 increase; four synapses per word) is a spike when it moves the weight.
      const N = length('weights') / R;
      const W = length('actions') / R;
      this.activitySources = [{ buffer: 'actions', units: N, at: (a, r, i) => (((Number(a[r * W + (i >> 2)]) >>> ((i & 3) * 8)) & 0xff) === 1 ? 0 : 1) }];
      this.activityLabel = 'synapse-agents; a spike: the synapse moved its weight';
    } else if (has('spk') && has('chain')) {
      // Chalk's logistic learner: the spikes of each chain's neuron-agents, 'spk' [chain * N + i]; chain r plays replica r.
      const chains = length('chain') / 4;
      this.activitySources = rows('spk', length('spk') / chains);
      this.activityLabel = 'neuron-agents of the chain';
    } else if (has('chain') && has('pi-one') && has('td-delta')) {
      // Chalk's sampling learner: chain = [input: C | post-action state bits: C | tdIndex: C].
      const chains = length('td-delta');
      const n = length('pi-one') / chains;
      this.activitySources = Number.isInteger(n) ? [{ buffer: 'chain', units: n, at: (a, r, i) => (Number(a[chains + r]) >>> i) & 1 }] : [];
      this.activityLabel = 'neuron-agents of the chain';
    } else {
      this.activitySources = names
        .filter((n) => /^(actor|layer)\.\d+\.values$/.test(n))
        .slice(0, -1)
        .flatMap((b) => rows(b, length(b) / R));
      this.activityLabel = "the actor's hidden layers";
      // (Weight Max's `actor.<l>.values`, the sparse million network's `layer.<l>.values`; the last is the output.)
    }
    this.activityUnits = Math.min(
      maxUnits,
      this.activitySources.reduce((n, s) => n + s.units, 0),
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
        for (let i = 0; i < s.units && k < act.length; i++) act[k++] = s.at(a, replica, i);
      }
      out.activity = act;
    }
    return out;
  }
}
