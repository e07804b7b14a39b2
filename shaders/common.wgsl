// Helpers shared by the engine's 1-D kernels.

// Linear invocation index of a 1-D kernel whose grid may fold into y (see dispatchGrid in kernel.ts).
fn linear_index(gid: vec3<u32>, nwg: vec3<u32>, wg: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}

fn sigmoid(a: f32) -> f32 {
  return 1.0 / (1.0 + exp(-a));
}
