import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../platform/config.js';

export interface CommandInput {
  config: Config;
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<number>;
}

/**
 * Every `vosul` command, loaded only when it runs (so `demo-data` does not pay for the web server's
 * modules); later issues add theirs (run-day, dispatch, bench).
 */
export const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.command.js')).serveCommand,
  migrate: async () => (await import('./migrate.command.js')).migrateCommand,
  user: async () => (await import('./user-add.command.js')).userAddCommand,
  import: async () => (await import('./import.command.js')).importCommand,
  'run-day': async () => (await import('./run-day.command.js')).runDayCommand,
  dispatch: async () => (await import('./dispatch.command.js')).dispatchCommand,
  'manager-mail': async () => (await import('./manager-mail.command.js')).managerMailCommand,
  'demo-data': async () => (await import('./demo-data.command.js')).demoDataCommand,
  bench: async () => (await import('./bench.command.js')).benchCommand,
};
