// The scatter walk's helper thread (src/kernels/chung-scatter-team.ts), started through tsx's loader as bin/hedonist.mjs is.
import { register } from 'tsx/esm/api';

register();
const { startScatterHelper } = await import('./chung-scatter-team.ts');
startScatterHelper();
