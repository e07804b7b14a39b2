// Copies a block of every replica's row into another row buffer, one invocation per word:
//   dst[r * dstStride + dstOffset + i] = src[r * srcStride + srcOffset + i],  i < count, r < replicas.
// A recurrent layer's spikes of this step become part of the next step's input row this way
// (src/population/logistic.ts). CPU twin: rowCopyCpu in src/kernels/row-copy.ts.
#include "common"

#struct RowCopyParams

#bindings 0 uniform params: RowCopyParams; read src: array<f32>; read_write dst: array<f32>

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = linear_index(gid, nwg, WG);
  if (t >= params.replicas * params.count) { return; }
  let r = t / params.count;
  let i = t - r * params.count;
  dst[r * params.dstStride + params.dstOffset + i] = src[r * params.srcStride + params.srcOffset + i];
}
