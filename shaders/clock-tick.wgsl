// Advances the device-resident step clock (clock[0]) by one. Kernels that draw random numbers read
// the clock, so many steps can be recorded into one submit without rewriting any uniform.
@group(0) @binding(0) var<storage, read_write> clock: array<u32>;

@compute @workgroup_size(1)
fn main() {
  clock[0] = clock[0] + 1u;
}
