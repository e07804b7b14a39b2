// The population as instanced screen-facing quads (or, when large, one point per unit): unit i sits at grid cell (i % side, (i / side) % side,
// i / side^2), centred on the origin; its colour is a "hot" map of its firing probability, added up
// (additive blending) so a dense block glows where many units fire.

struct View {
  viewProj: mat4x4<f32>,
  // x: units, y: side, z: point size in pixels, w: brightness of a silent unit
  grid: vec4<f32>,
  // x, y: the canvas size in pixels
  viewport: vec4<f32>,
};

@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> rate: array<f32>;

struct Out {
  @builtin(position) pos: vec4<f32>,
  @location(0) color: vec3<f32>,
  @location(1) corner: vec2<f32>,
};

const CORNERS = array<vec2<f32>, 6>(
  vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(1.0, 1.0),
  vec2(-1.0, -1.0), vec2(1.0, 1.0), vec2(-1.0, 1.0),
);

fn hot(v: f32) -> vec3<f32> {
  return clamp(vec3(3.0 * v, 3.0 * v - 1.0, 3.0 * v - 2.0), vec3(0.0), vec3(1.0));
}

/** Unit i's place on the grid, centred on the origin, in a cube of side 1. */
fn centre_of(i: u32) -> vec3<f32> {
  let side = u32(view.grid.y);
  let cell = vec3<f32>(f32(i % side), f32((i / side) % side), f32(i / (side * side)));
  return (cell - vec3(0.5 * f32(side - 1u))) / f32(side);
}

fn color_of(i: u32) -> vec3<f32> {
  return hot(clamp(rate[i], 0.0, 1.0)) + vec3(0.1, 0.2, 0.5) * view.grid.w;
}

@vertex
fn vs(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32) -> Out {
  let centre = centre_of(i);
  let c = CORNERS[v];
  var o: Out;
  let clip = view.viewProj * vec4(centre, 1.0);
  o.pos = clip + vec4(c * view.grid.z / view.viewport.xy * clip.w, 0.0, 0.0);
  o.color = color_of(i);
  o.corner = c;
  return o;
}

@fragment
fn fs(in: Out) -> @location(0) vec4<f32> {
  // Round points, soft at the rim.
  let d = dot(in.corner, in.corner);
  if (d > 1.0) { discard; }
  return vec4(in.color * (1.0 - d), 1.0);
}

// Large populations: one pixel per unit (a point list, one vertex each), a sixth of the quads' vertices.
struct PointOut {
  @builtin(position) pos: vec4<f32>,
  @location(0) color: vec3<f32>,
};

@vertex
fn vs_point(@builtin(vertex_index) i: u32) -> PointOut {
  var o: PointOut;
  o.pos = view.viewProj * vec4(centre_of(i), 1.0);
  o.color = color_of(i);
  return o;
}

@fragment
fn fs_point(in: PointOut) -> @location(0) vec4<f32> {
  return vec4(in.color, 1.0);
}
