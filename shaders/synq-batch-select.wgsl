// Synaptic Q-learning on a dataset: the minibatch of iteration t = clock[0], copied from the run's
// precomputed schedule of batches (drawn on the host with drawBatch, src/synq/mnist-task.ts, in
// the reference trainer's order): batch k = t / interval, redrawn whenever t is a multiple of the
// interval (FIRST: batch 0, the evaluation before iteration 1). One invocation per index:
// idx[i] = schedule[k * count + i], count = replicas x batch. CPU twin: the same copy (synqBatchSelectCpu).
#include "common"

#struct SynqBatchParams

#bindings 0 uniform params: SynqBatchParams; read clock: array<u32>; read schedule: array<u32>; read_write idx: array<u32>

#kernel i < params.count
  var k = 0u;
  if (params.first == 0u) { k = min(clock[0] / params.interval, params.batches - 1u); }
  idx[i] = schedule[k * params.count + i];
}
