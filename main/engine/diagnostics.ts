import os from 'node:os';
import type { EngineServices } from './services';
import { packageVersion } from '../paths';
import { toRedactedJson } from '../log/redacted-json';

/**
 * A support bundle a user can attach to a bug report: versions, settings, secret names (never
 * values) and the recent log. Every string passes through the redactor as a last line of defence.
 */
export function buildDiagnostics(engine: EngineServices): { fileName: string; content: string } {
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
  // Strings are redacted before they are escaped (a log line is escaped a second time in here).
  return { fileName: `sluice-diagnostics-${stamp}.json`, content: toRedactedJson(report, engine.redactor, 2) };
}
