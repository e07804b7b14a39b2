import type { CliCommand } from './command.ts';
import { benchCommand } from './commands/bench.ts';
import { cartpoleReinforceCommand } from './commands/cartpole-reinforce.ts';
import { infoCommand } from './commands/info.ts';
import { plotCommand } from './commands/plot.ts';
import { runCommand } from './commands/run.ts';
import { schemaCommand } from './commands/schema.ts';
import { SYNQ_COMMANDS } from './commands/synq.ts';
import { CHALK_COMMANDS } from './commands/chalk.ts';
import { OTT_COMMANDS } from './commands/ott.ts';
import { CHUNG_COMMANDS } from './commands/chung.ts';
import { CHUNG_GPU_COMMANDS } from './commands/chung-gpu.ts';
import { SWEEP_COMMANDS } from './commands/sweep.ts';
import { WORM_COMMANDS } from './commands/worm.ts';
import { ANALYZE_COMMANDS } from './commands/analyze.ts';

/** Every CLI command; a family adds its commands here. */
export const COMMANDS: CliCommand[] = [
  runCommand,
  schemaCommand,
  infoCommand,
  plotCommand,
  cartpoleReinforceCommand,
  benchCommand,
  ...SYNQ_COMMANDS,
  ...CHALK_COMMANDS,
  ...OTT_COMMANDS,
  ...CHUNG_COMMANDS,
  ...CHUNG_GPU_COMMANDS,
  ...SWEEP_COMMANDS,
  ...WORM_COMMANDS,
  ...ANALYZE_COMMANDS,
];
