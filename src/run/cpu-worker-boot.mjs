// A CPU executor worker thread (src/run/cpu-worker.ts), started through tsx's loader as bin/hedonist.mjs is.
import { register } from 'tsx/esm/api';

register();
const { startCpuWorker } = await import('./cpu-worker.ts');
startCpuWorker();
