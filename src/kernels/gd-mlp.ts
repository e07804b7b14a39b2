/**
 * Kernels of the full-batch gradient-descent baseline on WebGPU (Bhargava et al. Table 1's GD
 * rows): the cross-entropy gradient at the logits (gd-ce-delta), back-propagation through a
 * hidden layer (gd-hidden-delta) and each weight's summed gradient and step (gd-weight-step). The
 * forward pass is synq-forward (or its tiled form). CPU twins: src/synq/gradient.ts (the
 * reference trainer's gradient, in f64); the step program: gdProgram in src/rules/synq-program.ts.
 */
import { ParamsLayout } from '../gpu/params.ts';
import type { KernelDef } from '../run/kernel-def.ts';
import { paramsKernelDef } from '../run/params-kernel.ts';
import { ceDeltaSample, denseLayerGradient, hiddenDelta, sparseInputGradient } from '../synq/gradient.ts';
import type { Activation } from '../synq/mlp.ts';
import { GatheredRows, type SynqForwardLayout } from './synq-forward.ts';
import { SYNQ_LOSS_REWARD } from './synq-loss-reward.ts';
import { lossStride } from './synq-sample-loss.ts';

const ACT_CODE: Record<Activation, number> = { identity: 0, tanh: 1, relu: 2 };

export const GD_DELTA_PARAMS = new ParamsLayout('GdDeltaParams', { replicas: 'u32', batch: 'u32', outDim: 'u32', stride: 'u32' });

/** One dense layer's shape: the forward kernel's (the MLP layout of src/synq/mlp.ts). */
export type GdLayer = SynqForwardLayout;

export const GD_HIDDEN_PARAMS = new ParamsLayout('GdHiddenParams', { replicas: 'u32', batch: 'u32', inDim: 'u32', outDim: 'u32', synapses: 'u32', wOffset: 'u32' });

export const GD_STEP_PARAMS = new ParamsLayout('GdStepParams', { replicas: 'u32', batch: 'u32', inDim: 'u32', outDim: 'u32', synapses: 'u32', wOffset: 'u32', scale: 'f32' });

/** The parity suite of the GD kernels (a whole full-batch step through both executors). */
const GD_PARITY = 'gd step (hidden 8)';
type F64 = Float64Array;

/** gd-ce-delta's layout in a step program (per-sample softmax cross-entropy and its logit gradient). */
export interface GdCeDeltaLayout {
  replicas: number;
  batch: number;
  outDim: number;
}

/**
 * gd-ce-delta in the kernel registry: per-sample loss (perSample[r*stride + b]) and logit gradient.
 * The CPU twin keeps both in f64, as the reference (declare the buffers `host: 'f64'`):
 * ceDeltaSample (src/synq/gradient.ts), the reference's own code.
 */
export const GD_CE_DELTA = paramsKernelDef<GdCeDeltaLayout, typeof GD_DELTA_PARAMS.fields>({
  wgsl: 'gd-ce-delta',
  params: GD_DELTA_PARAMS,
  bindings: ['outputs', 'labels', 'idx', 'perSample', 'delta'],
  parity: GD_PARITY,
  values: (l) => ({ ...l, stride: lossStride(l.batch) }),
  invocations: (l) => l.replicas * l.batch,
  cpu: (l, b) => {
    const { replicas: R, batch: B, outDim: O } = l;
    const stride = lossStride(B);
    const outputs = b.outputs as Float32Array,
      labels = b.labels as Uint32Array,
      idx = b.idx as Uint32Array,
      perSample = b.perSample as F64,
      delta = b.delta as F64;
    return () => {
      for (let n = 0; n < R * B; n++) {
        const r = Math.floor(n / B);
        perSample[r * stride + (n - r * B)] = ceDeltaSample(outputs, n * O, O, labels[idx[n]!]!, delta, n * O);
      }
    };
  },
});

/** The reference sums its training loss in chunks of this many samples (the reference trainer's forward chunks). */
export const GD_LOSS_CHUNK = 2500;

/** gd-loss's layout: the mean training loss of R replicas over B samples. */
export interface GdLossLayout {
  replicas: number;
  batch: number;
  /** The workgroup-parallel tree ('auto': on a hardware adapter). */
  parallel?: 'auto' | boolean;
}

/**
 * The GD baseline's mean training loss per replica: on the device synq-loss-reward's f32 tree
 * (mode 'mean'; its reward is unused); the CPU twin the reference's f64 sum, chunk by chunk of
 * GD_LOSS_CHUNK samples, over the f64 per-sample losses (`loss` held in f64 on the host), then the
 * same reward bookkeeping. Parity within tolerance.
 */
export const GD_LOSS: KernelDef<GdLossLayout> = {
  wgsl: 'synq-loss-reward',
  uniform: true,
  bindings: ['perSample', 'loss', 'rewardCodes', 'positives'],
  parity: GD_PARITY,
  cpu: (l, b) => {
    const { replicas: R, batch: B } = l;
    const stride = lossStride(B);
    const perSample = b.perSample as F64,
      loss = b.loss as F64,
      codes = b.rewardCodes as Uint32Array,
      positives = b.positives as Uint32Array;
    return () => {
      for (let r = 0; r < R; r++) {
        let sum = 0;
        for (let c = 0; c < B; c += GD_LOSS_CHUNK) {
          let s = 0;
          for (let i = c; i < Math.min(B, c + GD_LOSS_CHUNK); i++) s += perSample[r * stride + i]!;
          sum += s;
        }
        const v = sum / B;
        const better = v < loss[R + r]!;
        loss[r] = v;
        codes[r] = better ? 2 : 0;
        if (better) positives[r]!++;
        loss[R + r] = v;
      }
    };
  },
  gpu: (ctx, l) => SYNQ_LOSS_REWARD.gpu!(ctx, { ...l, mode: 'mean', init: false }),
};

/** gd-hidden-delta's layout: the layer above (inDim = this hidden layer's width) and the hidden activation. */
export interface GdHiddenLayout {
  layer: GdLayer;
  act: Activation;
}

/** gd-hidden-delta in the kernel registry: back-propagation of layer l + 1's pre-activation gradient to layer l's. Twin (f64 deltas): hiddenDelta (src/synq/gradient.ts). */
export const GD_HIDDEN_DELTA = paramsKernelDef<GdHiddenLayout, typeof GD_HIDDEN_PARAMS.fields>({
  wgsl: 'gd-hidden-delta',
  params: GD_HIDDEN_PARAMS,
  bindings: ['weights', 'acts', 'delta', 'prev'],
  parity: GD_PARITY,
  values: (l) => l.layer,
  overrides: (l) => ({ ACT: ACT_CODE[l.act] }),
  invocations: ({ layer }) => layer.replicas * layer.batch * layer.inDim,
  cpu: (l, b) => {
    const { replicas: R, batch: B, inDim: I, outDim: J, synapses: N, wOffset } = l.layer;
    const weights = b.weights as Float32Array,
      acts = b.acts as Float32Array,
      delta = b.delta as F64,
      prev = b.prev as F64;
    return () => {
      for (let r = 0; r < R; r++) {
        hiddenDelta(weights, r * N + wOffset, I, J, B, acts.subarray(r * B * I, (r + 1) * B * I), delta.subarray(r * B * J, (r + 1) * B * J), prev.subarray(r * B * I, (r + 1) * B * I), l.act);
      }
    };
  },
});

/** gd-weight-step's layout: the layer, the learning rate, and whether its input is the gathered pool. */
export interface GdStepLayout {
  layer: GdLayer;
  learningRate: number;
  gather: boolean;
}

/**
 * gd-weight-step in the kernel registry: the full-batch gradient of every weight of a layer and its step
 * w -= lr / B * g. Twin: the reference's f64 gradient, sample by sample
 * (sparseInputGradient over the gathered rows' nonzeros, or denseLayerGradient), then
 * w = f32(w - lr / B * g) as the reference trainer's update.
 */
export const GD_WEIGHT_STEP = paramsKernelDef<GdStepLayout, typeof GD_STEP_PARAMS.fields>({
  wgsl: 'gd-weight-step',
  params: GD_STEP_PARAMS,
  bindings: ['weights', 'input', 'idx', 'delta'],
  parity: GD_PARITY,
  values: (l) => ({ ...l.layer, scale: Math.fround(l.learningRate / l.layer.batch) }),
  overrides: (l) => ({ GATHER: l.gather ? 1 : 0 }),
  invocations: ({ layer }) => layer.replicas * layer.outDim * (layer.inDim + 1),
  cpu: (l, b) => {
    const { replicas: R, batch: B, inDim: I, outDim: J, synapses: N, wOffset } = l.layer;
    const weights = b.weights as Float32Array,
      input = b.input as Float32Array,
      idx = b.idx as Uint32Array,
      delta = b.delta as F64;
    const rows = l.gather ? Array.from({ length: R }, (_, r) => new GatheredRows(input, I, idx.subarray(r * B, (r + 1) * B), B)) : [];
    const grad = new Float64Array((I + 1) * J);
    const k = l.learningRate / B;
    return () => {
      for (let r = 0; r < R; r++) {
        grad.fill(0);
        const d = delta.subarray(r * B * J, (r + 1) * B * J);
        if (l.gather) sparseInputGradient(grad, 0, I, J, B, d, rows[r]!.get());
        else denseLayerGradient(grad, 0, I, J, B, d, input.subarray(r * B * I, (r + 1) * B * I));
        const w0 = r * N + wOffset;
        for (let i = 0; i < grad.length; i++) weights[w0 + i] = weights[w0 + i]! - k * grad[i]!;
      }
    };
  },
});
