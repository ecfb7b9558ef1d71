import os from 'node:os';
import type { Engine } from './engine';
import { packageVersion } from '../paths';

/**
 * A support bundle a user can attach to a bug report: versions, settings, secret names (never
 * values) and the recent log. Passed through the redactor as a last line of defence.
 */
export function buildDiagnostics(engine: Engine): { fileName: string; content: string } {
  const report = {
    sluice: packageVersion(),
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    platform: `${os.platform()}-${os.arch()} ${os.release()}`,
    runtime: engine.options.runtime,
    schemaVersion: engine.schemaVersion,
    keychain: engine.keychain,
    settings: engine.settings.get(),
    secrets: engine.secrets.list().map(({ name, backend }) => ({ name, backend })),
    log: engine.log.tail(500),
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { fileName: `sluice-diagnostics-${stamp}.json`, content: engine.redactor.redact(JSON.stringify(report, null, 2)) };
}
