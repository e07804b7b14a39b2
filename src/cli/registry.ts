import type { CliCommand } from './command.ts';
import { benchCommand } from './commands/bench.ts';
import { cartpoleReinforceCommand } from './commands/cartpole-reinforce.ts';
import { infoCommand } from './commands/info.ts';

/** Every CLI command; a family adds its commands here. */
export const COMMANDS: CliCommand[] = [infoCommand, cartpoleReinforceCommand, benchCommand];
