import { parseArgs } from 'node:util';
import { loadConfig } from './platform/config.js';
import { commands } from './cli/commands.js';

/** `vosul COMMAND ...`: exits 0 on success, non-zero with a one-line reason on failure. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    const known = Object.keys(commands).join(', ');
    process.stderr.write(`usage: vosul <command> (${known})\n`);
    return name ? 2 : 0;
  }
  const command = await load();
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options,
    allowPositionals: true,
    strict: true,
  });
  return command.run({ config: loadConfig(), values, positionals });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`vosul: ${err instanceof Error ? err.message : String(err)}\n`);
    // the one-line reason is for people; the stack for whoever debugs with LOG_LEVEL=debug
    if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '') && err instanceof Error)
      process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
