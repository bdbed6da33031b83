import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { openRuntime } from '../platform/runtime.js';
import { createUserFromCli } from '../modules/users/users.service.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

/** `vosul user add USERNAME --group GROUP [--branch CODE]`; password from VOSUL_PASSWORD or prompted. */
export const userAddCommand: Command = {
  options: {
    group: { type: 'string', multiple: true },
    branch: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ config, values, positionals }) {
    const [sub, username] = positionals;
    if (sub !== 'add' || !username)
      throw new Error('usage: vosul user add USERNAME --group GROUP [--branch CODE]');
    const groups = (values.group as string[] | undefined) ?? [];
    if (groups.length === 0)
      throw new Error('--group is required (a group code such as hq_admin, or its title)');
    const password = process.env.VOSUL_PASSWORD ?? (await promptPassword());
    const runtime = await openRuntime(config, consoleLog);
    try {
      const user = await createUserFromCli(runtime.database.db, {
        username,
        password,
        groups,
        branchCode: values.branch as string | undefined,
      });
      if (values.json) process.stdout.write(JSON.stringify({ id: user.id, username: user.username }) + '\n');
      else process.stdout.write(`user ${user.username} created (id ${user.id})\n`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('set VOSUL_PASSWORD or run in a terminal to type the password');
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(q);
      muted = true;
      rl.question('', (answer) => {
        muted = false;
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  try {
    const first = await ask('password: ');
    const again = await ask('repeat password: ');
    if (first !== again) throw new Error('the two passwords differ');
    return first;
  } finally {
    rl.close();
  }
}
