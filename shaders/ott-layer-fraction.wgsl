// Firing fraction of every layer (hidden 1..L, then the output neuron), one invocation per active
// replica; the layers and their neurons are summed in a fixed order, so the result is exact
// (a count of 0/1 spikes) and equals the twin's. fractions[r*(L+1) + l] = count / width.
// CPU twin: layerFiringFractions in src/ott/rewards.ts.
#include "common"
#include "ott-common"

#bindings 1 read wiring: array<u32>; read rs: array<u32>; read signals: array<f32>; read_write fractions: array<f32>

fn ott_layer_fraction(r: u32, R: u32) {
  if (rs[RS_ACTIVE * R + r] == 0u) { return; }
  let nl = params.layers + 1u;
  let sb = r * params.signalSize + params.numInputs;
  for (var l = 0u; l < nl; l++) {
    let a = wiring[params.offLayerStart + l];
    let b = wiring[params.offLayerStart + l + 1u];
    var count = 0.0;
    for (var n = a; n < b; n++) { count = count + signals[sb + n]; }
    fractions[r * nl + l] = count / f32(b - a);
  }
}

#kernel r < R = params.replicas
  ott_layer_fraction(r, R);
}
