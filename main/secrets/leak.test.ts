import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestEngine, trusted } from '../testing/engine';
import { filesUnder, tempWorkspace } from '../testing/temp';
import { Engine } from '../engine/engine';
import { MemoryKeychain } from './keychain';
import { SecretStore } from './secret-store';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Every encoding a secret could be written to disk in. */
function encodings(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(Buffer.from(secret).toString('hex')),
  ];
}

function filesContaining(files: string[], needle: string): string[] {
  return files.filter((file) => {
    const bytes = fs.readFileSync(file);
    return encodings(needle).some((e) => bytes.includes(e));
  });
}

/** Save a secret, make the engine log and export with it about, then search every byte it wrote. */
async function exercise(engine: Engine, secret: string, exportDir: string): Promise<void> {
  const saved = await engine.dispatcher.dispatch('saveSecret', { name: 'leak-test/password', value: secret }, trusted);
  expect(saved.ok).toBe(true);
  await engine.secrets.reveal('leak-test/password');
  // Careless code paths a real driver error could take:
  engine.log.error('publisher.failed', { error: `auth failed for password=${secret}` });
  await engine.dispatcher.dispatch('updateSettings', { debuggerRetentionDays: 7 }, trusted);
  const exported = await engine.dispatcher.dispatch('exportDiagnostics', {}, trusted);
  if (!exported.ok) throw new Error(exported.error.message);
  const { fileName, content } = exported.value as { fileName: string; content: string };
  fs.writeFileSync(path.join(exportDir, fileName), content);
}

describe('secret leak search', () => {
  it('finds no trace of a saved secret in SQLite, its WAL, the logs or an export (OS keychain)', async () => {
    const t = await openTestEngine();
    const exportDir = tempWorkspace();
    closers.push(t.close, exportDir.cleanup);
    const secret = 'Sluice-leak-canary-7f3a9c';
    await exercise(t.engine, secret, exportDir.dir);

    const written = [...filesUnder(t.dir), ...filesUnder(exportDir.dir)];
    expect(written.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['sluice.db', 'sluice.db-wal', 'sluice.log']));
    expect(written.some((f) => f.includes('sluice-diagnostics-'))).toBe(true);
    // Positive control: the search does find what was written (the secret's name), so a miss means something.
    expect(filesContaining(written, 'leak-test/password').length).toBeGreaterThan(0);
    expect(filesContaining(written, secret)).toEqual([]);
    await t.engine.secrets.delete('leak-test/password');
    t.engine.close();
    expect(filesContaining([...filesUnder(t.dir)], secret)).toEqual([]);
  });

  it('writes nothing of the secret to disk when only the memory store is available', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const secret = 'memory-only-canary-11d2';
    const store = new SecretStore(t.engine.db, new MemoryKeychain(), t.engine.redactor, 'ws', t.engine.log);
    await store.save('mem', secret);
    expect(await store.reveal('mem')).toBe(secret);
    t.engine.log.warn('oops', { secret });
    t.engine.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesContaining(filesUnder(t.dir), secret)).toEqual([]);
  });
});
