/** Progress lines of the CLI go to stderr, so `--json` output on stdout stays clean. */
export const consoleLog = {
  info(msg: string): void {
    process.stderr.write(`${msg}\n`);
  },
};
