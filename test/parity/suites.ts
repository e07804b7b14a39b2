import type { GpuContext } from '../../src/gpu/context.ts';
import { rngParity, type ParityReport } from './rng-parity.ts';
import { spikeParity } from './spike-parity.ts';
import { cartpoleParity } from './cartpole-parity.ts';
import { acrobotParity } from './acrobot-parity.ts';
import { programParity } from './program-parity.ts';
import { parseExperiment } from '../../src/experiment/load.ts';
import { buildModel } from '../../src/experiment/build.ts';
import { mountainCarParity } from './mountain-car-parity.ts';
import { ottParity } from './ott-parity.ts';
import { ottFusedParity } from './ott-fused-parity.ts';
import { OTT_FUSED_PARITY } from '../../src/kernels/ott-fused.ts';
import { copyParity } from '../../src/bench/copy-roofline.ts';
import { synqLossRewardParity, synqSelectParity, synqShiftTdParity, synqStepParity } from './synq-parity.ts';
import { chalkParity } from './chalk-parity.ts';
import { gdParity } from './gd-parity.ts';
import { chungMuxParity, type ChungParityPart } from './chung-parity.ts';
import { chungCriticParity } from './chung-critic-parity.ts';
import { chungAcParity, type ChungAcParityOptions } from './chung-ac-parity.ts';
import { CHUNG_AC_PARITY } from '../../src/kernels/chung-ac.ts';
import { MULTIPLEXER_PARITY } from '../../src/envs/multiplexer-gpu.ts';
import { chalkFaParity } from './chalk-fa-parity.ts';
import { daleParity } from './dale-parity.ts';
import { chemotaxisParity } from './chemotaxis-parity.ts';
import { connectomeLayer, parseConnectome } from '../../src/connectome/celegans.ts';
import { ROW_COPY_PARITY } from '../../src/kernels/row-copy.ts';
import { REINFORCE_WEIGHT_MAX } from '../../src/kernels/reinforce.ts';

const WM_PARITY = REINFORCE_WEIGHT_MAX.parity;

/**
 * Every GPU-vs-CPU-twin parity check, with its pass criteria. The Node tier (test/gpu) and the
 * headless-Chromium tier (test/browser) both run this list, so a kernel added here is checked on
 * both; `violations` returns what failed (empty = pass).
 */
export interface ParitySuite {
  name: string;
  /**
   * The kernels (shaders/<name>.wgsl) whose outputs this suite compares with their twins. The Node
   * tier checks that each was really used by the suite and that every compute shader is listed by
   * some suite.
   */
  kernels: string[];
  run(ctx: GpuContext): Promise<ParityReport>;
  violations(r: ParityReport): string[];
}

const exactAnd =
  (tol: number) =>
  (r: ParityReport): string[] => {
    const v: string[] = [];
    if (r.count <= 0) v.push('compared nothing');
    if (r.exactMismatches !== 0) v.push(`${r.exactMismatches} of ${r.count} exact outputs differ`);
    if (!(r.maxAbsError <= tol)) v.push(`max |gpu - cpu| = ${r.maxAbsError} > ${tol}`);
    if (r.notes?.knifeEdge !== undefined && r.notes.knifeEdge > r.count * 1e-3) v.push(`${r.notes.knifeEdge} knife-edge draws (> 0.1%)`);
    return v;
  };

/** The kernels each Chung multiplexer parity part compares. */
const CHUNG_PART_KERNELS: Record<Exclude<ChungParityPart, 'step'>, string[]> = {
  env: ['multiplexer-step', 'chung-ac-episode'],
  'hidden-forward': ['chung-hidden-forward'],
  'softmax-output': ['chung-output-partial', 'chung-softmax-output'],
  'unit-reward': ['chung-unit-reward'],
  'param-update': ['chung-param-update'],
};

function chungViolations(r: ParityReport): string[] {
  const v = exactAnd(1e-5)(r);
  for (const [k, x] of Object.entries(r.notes ?? {})) if (k.startsWith('adamRel') && !(x <= 1e-2)) v.push(`${k} = ${x} > 1e-2`);
  for (const [k, x] of Object.entries(r.notes ?? {})) if (k.startsWith('moved') && !(x > 0)) v.push(`${k}: parameters did not move`);
  return v;
}

/**
 * A 20-neuron ring with chords (chemical), a few gap junctions and two GABAergic neurons, laid out
 * as the chemotaxis connectome layer is (the real one needs data/celegans/, which a browser page
 * does not read).
 */
const SMALL_CONNECTOME = (() => {
  const names = ['ASEL', 'ASER', 'AVAL', 'AVAR', 'AVBL', 'AVBR', 'SMDDL', 'SMDDR', 'RMDDL', 'RMDDR', 'SMDVL', 'SMDVR', 'RMDVL', 'RMDVR', 'AIYL', 'AIYR', 'AIBL', 'AIBR', 'RIAL', 'RIAR'];
  const rows = ['Source,Target,Weight,Type'];
  names.forEach((n, i) => {
    rows.push(`${n},${names[(i + 1) % 20]},${1 + (i % 4)},chemical`, `${n},${names[(i + 7) % 20]},${1 + (i % 3)},chemical`);
    if (i % 5 === 0) rows.push(`${n},${names[(i + 3) % 20]},2,electrical`);
  });
  const c = parseConnectome(rows.join('\n'), 'neuron,transmitter\nRIAL,GABA\nRIAR,GABA\nAIYL,Acetylcholine\n');
  const l = connectomeLayer(c, {
    inputs: ['ASEL', 'ASER'],
    outputs: ['AVBL', 'AVBR', 'AVAL', 'AVAR', 'SMDDL', 'SMDDR', 'RMDDL', 'RMDDR', 'SMDVL', 'SMDVR', 'RMDVL', 'RMDVR'],
    variant: 'connectome',
    seed: 0,
    weightScale: 3,
    inputWeight: 2,
  });
  return { edges: l.edges, neurons: l.neurons };
})();

/** The small connectome on chemotaxis under rule reinforce (its hidden neurons learning by `hiddenRule`), 400 steps on both backends. */
function connectomeSuite(name: string, label: string, seed: number, hiddenRule: 'reinforce' | 'weightmax'): ParitySuite {
  const wm = hiddenRule === 'weightmax' ? ['reinforce-weight-max'] : [];
  return {
    name,
    kernels: ['row-copy', 'spike-sample', 'chemotaxis-step', 'reward-task', 'reward-metabolic', 'reinforce-record', ...wm, 'reinforce-update', 'dale-project', 'clock-tick'],
    run: (ctx) =>
      programParity(
        ctx,
        label,
        buildModel(
          parseExperiment({
            env: { name: 'chemotaxis' },
            run: { seed, replicas: 4 },
            population: { hidden: [], wiring: [{ kind: 'connectome', ...SMALL_CONNECTOME }] },
            rule: { name: 'reinforce', hiddenRule, terms: { task: { weight: 1 }, metabolic: { weight: 0.01 } } },
          }),
        ).program,
        400,
      ),
    violations: (r) => [...exactAnd(1e-4)(r), ...(r.notes!.episodes! < 12 ? [`only ${r.notes!.episodes} episodes: updates not exercised`] : [])],
  };
}

export const PARITY_SUITES: ParitySuite[] = [
  { name: 'rng-stream', kernels: ['rng-stream'], run: (ctx) => rngParity(ctx), violations: exactAnd(0) },
  { name: 'spike-sample dense', kernels: ['spike-sample', 'clock-tick'], run: (ctx) => spikeParity(ctx, { sparse: false }), violations: exactAnd(1e-5) },
  { name: 'spike-sample sparse', kernels: ['spike-sample', 'clock-tick'], run: (ctx) => spikeParity(ctx, { sparse: true, neurons: 2048, fanIn: 16 }), violations: exactAnd(1e-5) },
  {
    name: 'cartpole-step',
    kernels: ['cartpole-step'],
    run: (ctx) => cartpoleParity(ctx),
    violations: (r) => [...exactAnd(1e-5)(r), ...(r.notes!.episodesEnded! < 100 ? [`only ${r.notes!.episodesEnded} episodes ended: autoreset not exercised`] : [])],
  },
  {
    // Even envs are thrown into random states so that episodes terminate (random actions rarely
    // swing Acrobot up); odd envs run 520 steps and truncate at 500. Steps from fast states are
    // ill-conditioned in f32 (see acrobot-parity.ts): held to 1e-4.
    name: 'acrobot-step',
    kernels: ['acrobot-step'],
    run: (ctx) => acrobotParity(ctx),
    violations: (r) => [
      ...exactAnd(1e-5)(r),
      ...(!(r.notes!.fastMaxAbsError! <= 1e-4) ? [`max |gpu - cpu| from fast states = ${r.notes!.fastMaxAbsError} > 1e-4`] : []),
      ...(r.notes!.fastSteps! < 100 ? [`only ${r.notes!.fastSteps} steps from fast states`] : []),
      ...(r.notes!.terminated! < 100 ? [`only ${r.notes!.terminated} episodes terminated: autoreset not exercised`] : []),
      ...(r.notes!.truncated! < 50 ? [`only ${r.notes!.truncated} episodes truncated`] : []),
      ...(r.notes!.clipped! < 10 ? [`only ${r.notes!.clipped} velocities clipped`] : []),
      ...(r.notes!.wrapped! < 10 ? [`only ${r.notes!.wrapped} angles wrapped`] : []),
    ],
  },
  {
    // Through the registry and both executors. Even envs are thrown into random states so that
    // episodes terminate (random actions never drive the car up the hill) and cars stop at the
    // left wall; odd envs truncate at 200 steps.
    name: 'mountain-car-step',
    kernels: ['mountain-car-step'],
    run: (ctx) => mountainCarParity(ctx),
    violations: (r) => [
      ...exactAnd(1e-5)(r),
      ...(r.notes!.terminated! < 100 ? [`only ${r.notes!.terminated} episodes terminated: autoreset not exercised`] : []),
      ...(r.notes!.truncated! < 100 ? [`only ${r.notes!.truncated} episodes truncated`] : []),
      ...(r.notes!.wallStops! < 10 ? [`only ${r.notes!.wallStops} left-wall velocity resets`] : []),
      ...(r.notes!.clipped! < 10 ? [`only ${r.notes!.clipped} velocities clipped`] : []),
    ],
  },
  {
    // Random spikes in the 12 motor slots (and odd floats), even envs thrown across the plane.
    // The state is compared within 1e-5 absolute: positions stay within a few units of the peak.
    name: 'chemotaxis-step',
    kernels: ['chemotaxis-step'],
    run: (ctx) => chemotaxisParity(ctx),
    violations: (r) => [
      ...exactAnd(1e-5)(r),
      ...(r.notes!.truncated! < 500 ? [`only ${r.notes!.truncated} episodes truncated: autoreset not exercised`] : []),
      ...(r.notes!.reversals! < 1000 ? [`only ${r.notes!.reversals} reversal steps`] : []),
      ...(r.notes!.oddSlots! < 100 ? [`only ${r.notes!.oddSlots} odd slot values`] : []),
    ],
  },
  {
    // The same with 3 neural ticks per move (env.ticks): spikes summed over the ticks, moves on
    // every third step, reward 0 and the observation held in between.
    name: 'chemotaxis-step, 3 ticks per move',
    kernels: ['chemotaxis-step'],
    run: async (ctx) => ({ ...(await chemotaxisParity(ctx, 256, 640, 3)), name: 'chemotaxis-step, 3 ticks per move' }),
    violations: (r) => [
      ...exactAnd(1e-5)(r),
      ...(r.notes!.truncated! < 500 ? [`only ${r.notes!.truncated} episodes truncated: autoreset not exercised`] : []),
      ...(r.notes!.moves! < 40000 ? [`only ${r.notes!.moves} moves`] : []),
      ...(r.notes!.reversals! < 1000 ? [`only ${r.notes!.reversals} reversal moves`] : []),
    ],
  },
  // A connectome population (a small synthetic one, browser-safe) as one recurrent layer on
  // chemotaxis: the row copy feeds each step's spikes into the next step's input row.
  connectomeSuite(ROW_COPY_PARITY, 'connectome chemotaxis step', 19, 'reinforce'),
  // The same with rule.hiddenRule weightmax: reinforce-weight-max rewrites the recorded rewards into
  // each step's learning signal (backwards in time, through the downward synapses) and
  // reinforce-update reads it directly.
  connectomeSuite(WM_PARITY, 'connectome chemotaxis step, Weight Max through time', 23, 'weightmax'),
  {
    // theta moves by Adam steps of up to lr = 0.03 per episode; 1e-4 is far below one step.
    name: 'cartpole-reinforce step (spike, env, record, update)',
    kernels: ['spike-sample', 'cartpole-step', 'reinforce-record', 'reinforce-update', 'clock-tick'],
    run: (ctx) => programParity(ctx, 'cartpole-reinforce step', buildModel(parseExperiment({ env: { name: 'cartpole' }, rule: { name: 'reinforce' }, run: { seed: 11, replicas: 6 } })).program, 400),
    violations: (r) => [...exactAnd(1e-4)(r), ...(r.notes!.episodes! < 30 ? [`only ${r.notes!.episodes} episodes: updates not exercised`] : [])],
  },
  {
    // A wired population (random fan-in, Dale's law on the layer fed by neurons) through the same
    // rule: sparse spike sampling, sparse per-neuron updates and the projection, as one program.
    name: 'wired reinforce step (sparse spike, sparse update, dale)',
    kernels: ['spike-sample', 'cartpole-step', 'reinforce-record', 'reinforce-update', 'dale-project', 'clock-tick'],
    run: (ctx) =>
      programParity(
        ctx,
        'wired reinforce step',
        buildModel(
          parseExperiment({
            env: { name: 'cartpole' },
            rule: { name: 'reinforce' },
            run: { seed: 13, replicas: 5 },
            population: {
              hidden: [16],
              wiring: [
                { kind: 'random', fanIn: 3 },
                { kind: 'random', fanIn: 6 },
              ],
              dale: { excitatory: 0.75 },
            },
          }),
        ).program,
        400,
      ),
    violations: (r) => [...exactAnd(1e-4)(r), ...(r.notes!.episodes! < 30 ? [`only ${r.notes!.episodes} episodes: updates not exercised`] : [])],
  },
  {
    // Per-neuron learning rewards: the reward terms write each neuron's reward into the activity
    // row, the trajectory records it, reinforce-update learns from it neuron by neuron.
    name: 'reward terms (reinforce with activity, sparsity, metabolic cost)',
    kernels: ['reward-task', 'reward-activity', 'reward-sparsity', 'reward-metabolic', 'reinforce-record', 'reinforce-update'],
    run: (ctx) =>
      programParity(
        ctx,
        'reward terms',
        buildModel(
          parseExperiment({
            env: { name: 'cartpole' },
            run: { seed: 17, replicas: 5 },
            population: { hidden: [12, 6] },
            rule: { name: 'reinforce', terms: { task: { weight: 1 }, activity: { weight: 0.2 }, sparsity: { weight: 0.5, target: 0.25 }, metabolic: { weight: 0.01 } } },
          }),
        ).program,
        400,
      ),
    violations: (r) => [...exactAnd(1e-4)(r), ...(r.notes!.episodes! < 30 ? [`only ${r.notes!.episodes} episodes: updates not exercised`] : [])],
  },
  {
    // The bandwidth roofline's copy kernel: every word bit for bit, nothing written past the end.
    name: 'copy-roofline',
    kernels: ['copy-roofline'],
    run: (ctx) => copyParity(ctx),
    violations: exactAnd(0),
  },
  // Synaptic Q-learning (src/synq, docs/synq.md): actions, states, counts and rewards exact.
  { name: 'synq-select-apply', kernels: ['synq-select-apply'], run: (ctx) => synqSelectParity(ctx), violations: exactAnd(0) },
  // f32 pow((1 - alphaQ), n) on the GPU vs f64 pow rounded: a few ulps of |q| <= 2.
  { name: 'synq-shift-count + synq-td (count)', kernels: ['synq-shift-count', 'synq-td'], run: (ctx) => synqShiftTdParity(ctx, 'count'), violations: exactAnd(1e-6) },
  { name: 'synq-shift-count + synq-td (mean)', kernels: ['synq-shift-count', 'synq-td'], run: (ctx) => synqShiftTdParity(ctx, 'mean'), violations: exactAnd(1e-6) },
  // mean: bit-exact; euclidean: WGSL sqrt is not required to be correctly rounded.
  { name: 'synq-loss-reward', kernels: ['synq-loss-reward'], run: (ctx) => synqLossRewardParity(ctx), violations: exactAnd(1e-6) },
  // Whole iterations of the step program (src/rules/synq-program.ts) through both executors, step
  // by step: actions, states, counts, rewards, the log's iterations exact; floats within 1e-5
  // relative to max(1, |cpu|) (f32 sums vs the twins' f64 dot products, GPU tanh / exp / log;
  // measured <= 2e-7 on SwiftShader). The MNIST-shaped program crosses minibatch redraws (7), the
  // start-check copy (15) and the alpha_s switch (20). Hardware forms: the tiled forward and the
  // workgroup loss tree, the same sums in the same order.
  ...[
    { task: 'boundary', tdRule: 'count', trainPolicy: true, hardwareKernels: false },
    { task: 'boundary', tdRule: 'count', trainPolicy: true, hardwareKernels: true },
    { task: 'mnist', tdRule: 'mean', trainPolicy: true, hardwareKernels: false },
    { task: 'mnist', tdRule: 'mean', trainPolicy: true, hardwareKernels: true },
  ].map((o) => ({
    name: `synq step (${o.task}, train policy${o.hardwareKernels ? ', hardware kernels' : ''})`,
    kernels: [
      ...(o.task === 'mnist' ? ['synq-batch-select'] : []),
      'synq-select-apply',
      o.hardwareKernels ? 'synq-forward-tiled' : 'synq-forward',
      'synq-sample-loss',
      'synq-loss-reward',
      'synq-shift-count',
      'synq-td',
      'synq-log',
      'synq-snapshot',
      'clock-tick',
    ],
    run: (ctx: GpuContext) => synqStepParity(ctx, o as Parameters<typeof synqStepParity>[1]),
    violations: (r: ParityReport) => [...exactAnd(1e-5)(r), ...(r.notes!.trainedEntries! < 10 ? [`only ${r.notes!.trainedEntries} table entries trained: TD not exercised`] : [])],
  })),
  // The reference's synapse-by-synapse TD rule (one invocation per replica): f32 on the device, each
  // update in f64 in the twin (tdUpdateSequential), so the golden table drifts by a few ulps.
  {
    name: 'synq step (boundary, sequential TD)',
    kernels: ['synq-select-apply', 'synq-forward', 'synq-sample-loss', 'synq-loss-reward', 'synq-td-sequential', 'synq-shift-count', 'synq-log', 'synq-snapshot', 'clock-tick'],
    run: (ctx) => synqStepParity(ctx, { task: 'boundary', tdRule: 'sequential', trainPolicy: true }),
    violations: (r) => [...exactAnd(1e-5)(r), ...(r.notes!.trainedEntries! < 10 ? [`only ${r.notes!.trainedEntries} table entries trained: TD not exercised`] : [])],
  },
  // Gradient-descent baseline (gdProgram): 3 full-batch steps of 2 replicas x 150 gathered samples
  // through both executors; f32 sample-order sums vs the f64 twins. Inputs with value 0 add nothing
  // on either side, so every weight of a used pixel moves; unused pixels (none here) would not.
  ...[
    { hidden: 0, hardwareKernels: false },
    { hidden: 8, hardwareKernels: false },
    { hidden: 8, hardwareKernels: true },
  ].map((o) => ({
    name: `gd step (hidden ${o.hidden}${o.hardwareKernels ? ', hardware kernels' : ''})`,
    kernels: [
      o.hardwareKernels ? 'synq-forward-tiled' : 'synq-forward',
      'gd-ce-delta',
      'synq-loss-reward',
      'gd-weight-step',
      ...(o.hidden ? ['gd-hidden-delta'] : []),
      'synq-log',
      'synq-snapshot',
      'clock-tick',
    ],
    run: (ctx: GpuContext) => gdParity(ctx, o),
    violations: (r: ParityReport) => [...exactAnd(1e-5)(r), ...(r.notes!.unmoved! > 0 ? [`${r.notes!.unmoved} weights did not move`] : [])],
  })),
  // Chalk sampling learner (the coding-cost rule's step program, src/rules/coding-cost.ts, on both
  // executors; docs/chalk.md), 24 chains x 300 steps: inputs, states, TD indices, count histogram,
  // clock exact; h (|h| up to ~30), advantages, marginals, gain, policies, TD errors within 1e-4
  // (f32 WGSL vs f64 twin stored in f32; measured <= 1.2e-5).
  ...[true, false].map((inputExpectation) => ({
    name: `chalk sampler step (chain, critic, learn), inputExpectation ${inputExpectation}`,
    kernels: ['chalk-chain', 'chalk-critic', 'chalk-learn'],
    run: (ctx: GpuContext) => chalkParity(ctx, { inputExpectation }),
    violations: (r: ParityReport) => [
      ...exactAnd(1e-4)(r),
      ...(r.notes!.spikes! < 20 ? [`only ${r.notes!.spikes} spikes: acting not exercised`] : []),
      ...(r.notes!.marginalMoved! < 0.01 ? ['marginals did not move: marginal update not exercised'] : []),
    ],
  })),
  // Ott neuron-agents (src/ott, docs/ott.md): 300 steps of 6 replicas (2 x 5 hidden + 1), one
  // reward mode per replica; each entry checks one group of kernels after the same steps.
  // Spikes, fractions, counts, state and log integers exact; floats: GPU exp/pow/division
  // (2.5 ulp) vs correctly rounded f32, over short episodes of Adam steps (lr 1e-2).
  ...(['mlp', 'logistic'] as const).flatMap((policy) => [
    {
      name: `ott-${policy}-forward (spike)`,
      kernels: [policy === 'mlp' ? 'ott-mlp-forward' : 'ott-logistic-forward'],
      run: (ctx: GpuContext) => ottParity(ctx, 'forward', { policy }),
      violations: exactAnd(1e-5),
    },
    {
      name: `ott-layer-fraction + ott-rewards (${policy})`,
      kernels: ['ott-layer-fraction', 'ott-rewards'],
      run: (ctx: GpuContext) => ottParity(ctx, 'rewards', { policy }),
      violations: exactAnd(1e-5),
    },
    { name: `ott-returns (${policy})`, kernels: ['ott-returns'], run: (ctx: GpuContext) => ottParity(ctx, 'returns', { policy }), violations: exactAnd(1e-5) },
    {
      name: `ott-${policy}-grad (relative)`,
      kernels: [policy === 'mlp' ? 'ott-mlp-grad' : 'ott-logistic-grad'],
      run: (ctx: GpuContext) => ottParity(ctx, 'grad', { policy }),
      violations: exactAnd(1e-4),
    },
    { name: `ott-adam (${policy})`, kernels: ['ott-adam'], run: (ctx: GpuContext) => ottParity(ctx, 'adam', { policy }), violations: exactAnd(2e-5) },
    {
      name: `ott step: state + episode log (${policy})`,
      kernels: ['ott-step-begin', 'ott-record', 'ott-replica-step', 'ott-episode-end'],
      run: (ctx: GpuContext) => ottParity(ctx, 'step', { policy }),
      violations: (r: ParityReport) => [...exactAnd(1e-5)(r), ...(r.notes!.finished! < 1 ? ['no replica finished: stop rule not exercised'] : [])],
    },
  ]),
  // The fused Ott step on CartPole (src/kernels/ott-fused.ts), in one dispatch and in the split
  // form's three: 300 steps of the same network, the fused kernel vs its twin and vs the multi-dispatch program on the device. u32 state, log
  // integers and spikes exact; floats within 1e-4 relative to max(1, |cpu|) (the Ott gradient
  // suite's bound: GPU exp/pow vs correctly rounded f32 through Adam steps).
  ...(['fused', 'split'] as const).map((form) => ({
    name: form === 'fused' ? OTT_FUSED_PARITY : `${OTT_FUSED_PARITY}, split form`,
    kernels: ['ott-fused-cartpole'],
    run: (ctx: GpuContext) => ottFusedParity(ctx, form),
    violations: (r: ParityReport) => [
      ...exactAnd(1e-4)(r),
      ...(r.notes!.episodes! < 12 ? [`only ${r.notes!.episodes} episodes logged: updates not exercised`] : []),
      ...(r.notes!.finished! < 1 ? ['no replica finished: stop rule not exercised'] : []),
    ],
  })),
  // Chung's Weight Max at scale on the multiplexer (rule weight-max-sparse, docs/million.md): its
  // step program on both executors, 11-bit mux, 3 replicas of 11-24-40-2 (dense, or sparse fan-in
  // 5 / 7), from the same network. Spikes, actions, inputs, targets exact (knife-edge draws counted); floats: f32 WGSL
  // vs the f64-accumulating twin stored in f32, <= 1e-5 after 40 Adam steps (measured <= 1.4e-6
  // on theta); Adam moments within 1e-2 relative (tiny moments of near-zero gradients).
  ...([false, true] as const).flatMap((sparse) =>
    (['env', 'hidden-forward', 'softmax-output', 'unit-reward', 'param-update'] as Exclude<ChungParityPart, 'step'>[]).map((part) => ({
      name: `chung-mux ${part} (${sparse ? 'sparse' : 'dense'})`,
      kernels: CHUNG_PART_KERNELS[part].concat(sparse && part === 'unit-reward' ? ['chung-reward-sum'] : []),
      run: (ctx: GpuContext) => chungMuxParity(ctx, part, { sparse }),
      violations: chungViolations,
    })),
  ),
  // The same parts with the hardware kernel forms (split forward, grouped dense gather,
  // per-parameter updates): other f32 sum orders, the same tolerances.
  ...([false, true] as const).flatMap((sparse) =>
    (['hidden-forward', 'unit-reward', 'param-update', 'step'] as ChungParityPart[]).map((part) => ({
      name: `chung-mux ${part} (${sparse ? 'sparse' : 'dense'}, hardware kernels${part === 'step' ? ', x40' : ''})`,
      kernels:
        part === 'step' ? Object.values(CHUNG_PART_KERNELS).flat() : CHUNG_PART_KERNELS[part as Exclude<ChungParityPart, 'step'>].concat(sparse && part === 'unit-reward' ? ['chung-reward-sum'] : []),
      run: (ctx: GpuContext) => chungMuxParity(ctx, part, { sparse, hardwareKernels: true, ...(part === 'step' ? { steps: 40 } : {}) }),
      violations: chungViolations,
    })),
  ),
  {
    name: 'chung-mux unit-reward (sparse, scatter blocks)',
    kernels: ['chung-unit-reward', 'chung-reward-sum'],
    run: (ctx: GpuContext) => chungMuxParity(ctx, 'unit-reward', { sparse: true, gatherMode: 'scatter' }),
    violations: chungViolations,
  },
  ...[{ sparse: false }, { sparse: true, sgdLayer: true, gatherMode: 'scatter' as const }, { sparse: true, rule: 'reinforce' as const }].map((o) => ({
    name: `chung-mux whole step x40 (${o.sparse ? 'sparse' : 'dense'}, ${o.rule ?? 'weightmax'}${o.sgdLayer ? ', SGD layer' : ''}${o.gatherMode ? `, ${o.gatherMode}` : ''})`,
    kernels: [...Object.values(CHUNG_PART_KERNELS).flat(), ...(o.sgdLayer ? ['chung-sgd-scatter'] : [])],
    run: (ctx: GpuContext) => chungMuxParity(ctx, 'step', { ...o, steps: 40 }),
    violations: chungViolations,
  })),
  // Weight Max critic (src/chung/critic-gpu.ts, docs/chung.md): 6 replicas of the 8-64-32-1 softplus
  // critic. Error relative to max(1, |cpu|); both sides round + and * to f32 in the same order, so
  // only exp / log / sqrt differ (measured on SwiftShader: forward 7.7e-7, backward 2.2e-7, Adam 0,
  // 40 TD steps 1.1e-6). Every compared element must be non-zero at least half the time.
  ...(['forward', 'backward', 'adam', 'td-steps'] as const).map((part) => ({
    name: `chung-critic ${part}`,
    kernels: part === 'td-steps' ? ['chung-critic-forward', 'chung-critic-backward', 'chung-critic-adam'] : [`chung-critic-${part}`],
    run: (ctx: GpuContext) => chungCriticParity(ctx, part),
    violations: (r: ParityReport) => [...exactAnd(1e-4)(r), ...(r.notes!.nonZero! < r.count / 2 ? [`only ${r.notes!.nonZero} of ${r.count} compared values non-zero`] : [])],
  })),
  // Chung's episodic actor-critic on the core (src/rules/weight-max.ts, docs/chung.md): the whole step
  // program on the GPU executor vs the CPU executor (the twins over the CPU trainer's reference
  // functions), 4 replicas of a 16-8 actor and the 64-32 critic, 30 steps after a CPU warm-up, the
  // CPU re-synced to the device after every step. Spikes, actions, flags, env counters and the
  // episode log exact (knife-edge draws counted); floats within 1e-4 of each buffer's largest
  // magnitude (f32 kernels vs f64-summing twins; measured <= 1.5e-5 on SwiftShader; a 0.1% change of
  // the Weight Max gather gives 2.4e-3).
  ...(
    [
      [CHUNG_AC_PARITY.step, { env: 'cartpole', hiddenRule: 'weightmax', traces: true, warmup: 200 }],
      [CHUNG_AC_PARITY.ste, { env: 'cartpole', hiddenRule: 'ste', traces: true, fanIn: 3, warmup: 200 }],
      [CHUNG_AC_PARITY.shifted, { env: 'cartpole', hiddenRule: 'weightmax', traces: true, traceForm: 'shifted', warmup: 200 }],
      ['chung-ac step x30 (cartpole, backprop)', { env: 'cartpole', hiddenRule: 'backprop', traces: false, warmup: 200 }],
      ['chung-ac step x30 (cartpole, thomas + traces)', { env: 'cartpole', hiddenRule: 'thomas', traces: true, warmup: 200 }],
      ['chung-ac step x30 (acrobot, weightmax + traces, truncation)', { env: 'acrobot', hiddenRule: 'weightmax', traces: true, warmup: 490 }],
      // LunarLander's env is a host op (planck, through the bridge): non-integer rewards, so the f64
      // episode returns of chung-ac-episode (f64.wgsl) are compared bit for bit.
      [CHUNG_AC_PARITY.lunar, { env: 'lunar-lander', hiddenRule: 'weightmax', traces: true, warmup: 190 }],
      // One-step episodes (the multiplexer as a contextual bandit): no critic, the reward as the
      // signal, traces before learning, Adam from the first step; 40 steps after 60 on the CPU.
      [MULTIPLEXER_PARITY, { env: 'multiplexer-11', hiddenRule: 'weightmax', traces: false, warmup: 60, steps: 40 }],
      ['chung-ac bandit step x40 (multiplexer-11, ste, sparse fan-in)', { env: 'multiplexer-11', hiddenRule: 'ste', traces: false, fanIn: 5, warmup: 60, steps: 40 }],
      ['chung-ac bandit step x40 (multiplexer-11, reinforce)', { env: 'multiplexer-11', hiddenRule: 'reinforce', traces: false, warmup: 60, steps: 40 }],
      // Composition (a): Ott's activity and sparsity terms and the metabolic cost on Weight Max hidden units.
      [
        'chung-ac step x30 (acrobot, weightmax + reward terms)',
        { env: 'acrobot', hiddenRule: 'weightmax', traces: true, warmup: 490, terms: { activity: { weight: 0.01 }, sparsity: { weight: 0.05, target: 0.2 }, metabolic: { weight: 0.001 } } },
      ],
    ] as [string, ChungAcParityOptions][]
  ).map(([name, o]) => ({
    name,
    kernels: [
      'chung-ac-hidden',
      'chung-ac-softmax',
      ...(o.env.startsWith('multiplexer') ? [] : ['chung-critic-forward', 'chung-ac-td', 'chung-critic-backward']),
      'chung-ac-adam',
      'chung-ac-gather',
      'chung-ac-trace',
      ...(o.traceForm === 'shifted' ? ['chung-ac-delay'] : []),
      ...(o.env === 'lunar-lander' ? [] : o.env.startsWith('multiplexer') ? ['multiplexer-step'] : [`${o.env}-step`]),
      'chung-ac-episode',
      'clock-tick',
      ...(o.terms ? ['reward-activity', 'reward-sparsity', 'reward-metabolic'] : []),
    ],
    run: (ctx: GpuContext) => chungAcParity(ctx, o),
    violations: (r: ParityReport) => [
      ...exactAnd(1e-4)(r),
      ...(r.notes!.knifeEdge! > 2 ? [`${r.notes!.knifeEdge} steps with knife-edge draws`] : []),
      ...(r.notes!.episodesEnded! < 3 ? [`only ${r.notes!.episodesEnded} episodes ended: resets and traces' restarts not exercised`] : []),
      ...(o.env === 'acrobot' && r.notes!.truncated! < 1 ? ['no episode truncated'] : []),
      ...(r.notes!.movedTheta0! < 0.5 ? ['the first layer hardly learned'] : []),
    ],
  })),
  // Chalk logistic learner (the coding-cost rule's step program with policy 'logistic' on both
  // executors; docs/chalk.md): 16 chains x 200 steps, sync (40 neurons, 7 tent bins, actor trust
  // region) and async (12 neurons, one-hot counts). Inputs, counts, TD indices, spikes, count
  // histogram, clock exact; weights, marginals, gain, policies, errors within 1e-5, reward / cost
  // sums within 1e-5 of max(1, |cpu|) (measured <= 4.8e-7 sync, 1.9e-6 async on SwiftShader).
  ...(['sync', 'async'] as const).map((update) => ({
    name: `chalk logistic step (chalk-fa-chain, chalk-fa-critic, chalk-fa-learn), ${update}`,
    kernels: ['chalk-fa-chain', 'chalk-fa-critic', 'chalk-fa-learn'],
    run: (ctx: GpuContext) => chalkFaParity(ctx, { update }),
    violations: (r: ParityReport) => [
      ...exactAnd(1e-5)(r),
      ...(r.notes!.spikes! < 20 ? [`only ${r.notes!.spikes} spikes: acting not exercised`] : []),
      ...(r.notes!.marginalMoved! < 0.01 ? ['marginals did not move: marginal update not exercised'] : []),
      ...(r.notes!.recorded! <= 0 ? ['nothing recorded'] : []),
    ],
  })),
  // Dale's law projection (src/connectivity/fan-in.ts): every weight bit for bit; some must be zeroed.
  {
    name: 'dale-project',
    kernels: ['dale-project'],
    run: (ctx) => daleParity(ctx),
    violations: (r) => [...exactAnd(0)(r), ...(r.notes!.zeroed! < 100 ? [`only ${r.notes!.zeroed} weights zeroed: projection not exercised`] : [])],
  },
];
