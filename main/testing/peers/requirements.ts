import { spawnSync } from 'node:child_process';

/** Tools the peers need, with exactly what to install when one is missing. Never a silent skip. */
const HOW_TO_INSTALL: Record<string, string> = {
  java: 'Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)',
  mvn: 'Apache Maven (Debian: apt-get install maven)',
  python3: 'Python 3 with venv (Debian: apt-get install python3 python3-venv)',
  openssl: 'OpenSSL (Debian: apt-get install openssl)',
  kcat: 'kcat (Debian: apt-get install kcat)',
  sqlite3: "SQLite's command line (Debian: apt-get install sqlite3)",
};

export class MissingToolError extends Error {}

export function requireTool(tool: keyof typeof HOW_TO_INSTALL, purpose: string): void {
  const args: Record<string, string[]> = { java: ['-version'], kcat: ['-V'], openssl: ['version'] };
  const probe = spawnSync(tool, args[tool] ?? ['--version'], { stdio: 'ignore' });
  if (probe.error) {
    throw new MissingToolError(`${purpose} needs ${tool}, which is not on PATH. Install ${HOW_TO_INSTALL[tool]}; .ci/run does this on CI.`);
  }
}
