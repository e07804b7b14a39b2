// One learning step of one parameter array of Chung's actor-critic (the code's learn_trace +
// adam_optimizer, ascent), one invocation per parameter i, clocked: t = clock[0] + tOffset is the
// Adam step, and nothing happens at t = 0 (the episodic trainer learns from its second step on,
// tOffset 0; a one-step-episode task such as the multiplexer learns at every step, tOffset 1). The signal of parameter i
// is sig[i < nW ? i / divW : (i - nW) / divB] (the unit's reward for the actor's [w | b], the
// replica's TD error for a critic array).
//   g = e_i sig - (DECAY, weights only) decayC normGrad(theta_i, decayP);  STORE_U: u_i = g
//   m = b1 m + (1 - b1) g;  v = b2 v + ((1 - b2) g) g
//   lr = (lrEnd - lrStart) * (min(t, endT) / endT) + lrStart        (the code's linear annealing, f32)
//   (c1, c2) = corr[2 (t - 1) ..] while t < corrSteps (host table of 1 / (1 - beta^t)), else 1
//   theta += (lr (m c1)) / (sqrt(v c2) + eps)
// CPU twins: layerUpdate + adamStep (actor, src/chung; f64 arithmetic stored f32) and criticAdamCpu
// with criticAdamScalars (critic, src/kernels/chung-critic-cpu.ts; f32 in this order), both with the
// learning rate annealed in f64.
#include "common"
#include "chung-common"

#struct AcAdamParams

#bindings 0 uniform params: AcAdamParams; read_write theta: array<f32>; read e: array<f32>; read_write m: array<f32>; read_write v: array<f32>; read_write u: array<f32>; read sig: array<f32>; read corr: array<f32>; read clock: array<u32>

override STORE_U: bool = false;
override DECAY: bool = false;

#kernel i < params.count
  let t = clock[0] + params.tOffset;
  if (t == 0u) { return; }
  let nW = params.nW;
  let isW = i < nW;
  var s = 0.0;
  if (isW) { s = sig[i / params.divW]; } else { s = sig[(i - nW) / params.divB]; }
  var g = e[i] * s;
  if (DECAY && isW) { g = g - params.decayC * norm_grad(theta[i], params.decayP); }
  if (STORE_U) { u[i] = g; }
  let mi = params.beta1 * m[i] + params.oneMinusBeta1 * g;
  let vi = params.beta2 * v[i] + (params.oneMinusBeta2 * g) * g;
  m[i] = mi;
  v[i] = vi;
  var c1 = 1.0;
  var c2 = 1.0;
  if (t < params.corrSteps) {
    c1 = corr[2u * (t - 1u)];
    c2 = corr[2u * (t - 1u) + 1u];
  }
  let frac = f32(min(t, params.endT)) / f32(params.endT);
  let lr = (params.lrEnd - params.lrStart) * frac + params.lrStart;
  theta[i] = theta[i] + (lr * (mi * c1)) / (sqrt(vi * c2) + params.eps);
}
