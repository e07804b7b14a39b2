// A CPU executor worker thread (src/run/cpu-worker.ts). Installed, it loads the built
// cpu-worker.js beside it; in a checkout (sources only) it loads the .ts through tsx's loader, as
// bin/hedonist.mjs does.
import { bootModule } from '../worker-boot.mjs';

const { startCpuWorker } = await bootModule(import.meta.url, './cpu-worker');
startCpuWorker();
