import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VOSUL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/vosul.js');

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** the process's own peak resident memory (VmHWM), MB */
  peakRssMb: number;
}

/**
 * Runs `vosul ARGS` as a child process and watches its peak resident set (Linux `VmHWM`, read until
 * the process exits), so the figure is the command's own and not the benchmark's.
 */
export function runVosul(args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VOSUL_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const probe = setInterval(() => {
      peakKb = Math.max(peakKb, peakRssKb(child.pid));
    }, 100);
    child.once('error', (err) => {
      clearInterval(probe);
      reject(err);
    });
    child.once('exit', (code) => {
      clearInterval(probe);
      resolve({ code, stdout, stderr, peakRssMb: Math.round(peakKb / 1024) });
    });
  });
}

function peakRssKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited meanwhile
  }
}
