import { spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../paths';

export interface CliResult {
  status: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without an OS keychain: no D-Bus session, so secrets are kept in memory (Linux). */
export function envWithoutKeychain(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.DBUS_SESSION_BUS_ADDRESS;
  return copy;
}

/**
 * Runs `bin/sluice.cjs` as its own process without blocking this one (an engine open in the test keeps
 * its timers and events going meanwhile).
 */
export function runSluice(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'sluice.cjs'), ...args], {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
