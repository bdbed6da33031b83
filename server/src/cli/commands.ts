import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../platform/config.js';
import { demoDataCommand } from './demo-data.command.js';
import { importCommand } from './import.command.js';
import { migrateCommand } from './migrate.command.js';
import { serveCommand } from './serve.command.js';
import { userAddCommand } from './user-add.command.js';

export interface CommandInput {
  config: Config;
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<number>;
}

/** Every `vosul` command; later issues add theirs (import, run-day, dispatch, demo-data, bench). */
export const commands: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  user: userAddCommand,
  import: importCommand,
  'demo-data': demoDataCommand,
};
