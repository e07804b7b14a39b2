import type { Executor } from '../../src/run/executor.ts';
import type { HostArray } from '../../src/run/kernel-def.ts';

/**
 * Named buffers of a running executor as host arrays: the CPU executor's live arrays, or on
 * WebGPU copies read back after the chunks in flight are drained.
 */
export async function hostBuffers(exec: Executor, names: readonly string[]): Promise<(name: string) => HostArray> {
  if (exec.view) return (n) => exec.view!(n);
  await exec.drain();
  const copies = new Map<string, HostArray>();
  for (const n of names) copies.set(n, await exec.read(n));
  return (n) => copies.get(n)!;
}
