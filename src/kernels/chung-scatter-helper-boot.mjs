// The scatter walk's helper thread (src/kernels/chung-scatter-team.ts): the built .js when
// installed, the .ts through tsx's loader in a checkout.
import { bootModule } from '../worker-boot.mjs';

const { startScatterHelper } = await bootModule(import.meta.url, './chung-scatter-team');
startScatterHelper();
