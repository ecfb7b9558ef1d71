import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A peer process: started in its own process group with its output in a log file, waited for until
 * it answers, and stopped with everything it started (SIGTERM to the group, then SIGKILL).
 */
export class ManagedProcess {
  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      live.delete(this);
    });
    live.add(this);
  }

  static start(name: string, command: string, args: string[], options: SpawnOptions & { logFile: string }): ManagedProcess {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = fs.openSync(options.logFile, 'a');
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    return new ManagedProcess(name, child, options.logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  logTail(lines = 30): string {
    if (!fs.existsSync(this.logFile)) return '';
    return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** Polls `check` until it is true; fails with the log's tail if the process exits or time runs out. */
  async waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited (code ${this.exitCode}) before ${what}. Its log (${this.logFile}):\n${this.logTail()}`);
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} did not ${what} within ${timeoutMs / 1000} s. Its log (${this.logFile}):\n${this.logTail()}`);
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-this.child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
    signalGroup('SIGKILL'); // anything the peer itself forked
  }
}

const live = new Set<ManagedProcess>();

// Leave no process behind, even when a test run is interrupted.
process.once('exit', () => {
  for (const p of live) {
    try {
      if (p.pid) process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
