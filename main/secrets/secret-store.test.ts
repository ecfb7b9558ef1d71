import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { openTestEngine, trusted } from '../testing/engine';
import { tempWorkspace } from '../testing/temp';
import { KEYCHAIN_SERVICE } from './keychain';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A Kinesis destination whose secret access key is the keychain secret kin/secret-access-key. */
const KIN = {
  kind: 'kinesis',
  name: 'kin',
  stream: 'customers',
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:1',
  auth: { kind: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: { keychain: 'kin/secret-access-key' } },
};

describe('secrets in the OS keychain', () => {
  it('has a real OS keychain to test against (run through scripts/with-test-keyring.sh)', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    expect(t.engine.keychain, 'The test suite needs an unlocked Secret Service: run it with `npm test`, which starts a throwaway GNOME keyring').toEqual({
      backend: 'os',
    });
  });

  it('a secret moved by its destination\'s rename keeps when it was saved and last changed (Settings → Secrets said "Updated" at the rename)', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { engine } = t;
    const call = (channel: 'saveSecret' | 'saveDestination' | 'renameDestination' | 'listSecrets', input: unknown) =>
      engine.dispatcher.dispatch(channel, input as never, trusted);
    expect(await call('saveSecret', { name: 'kin/secret-access-key', value: 'wJalr-secret' })).toMatchObject({ ok: true });
    expect(await call('saveDestination', { mode: 'create', destination: KIN })).toMatchObject({ ok: true });
    // Saved, and last given a value, in January.
    engine.db.prepare("UPDATE secret_refs SET created_at = '2026-01-02T03:04:05.000Z', updated_at = '2026-01-05T06:07:08.000Z'").run();

    expect(await call('renameDestination', { name: 'kin', newName: 'Kinesis prod' })).toMatchObject({ ok: true });
    expect(engine.secrets.list()).toEqual([
      expect.objectContaining({ name: 'Kinesis prod/secret-access-key', createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-05T06:07:08.000Z' }),
    ]);
    expect(await engine.secrets.reveal('Kinesis prod/secret-access-key')).toBe('wJalr-secret');
  });

  it('a move whose transaction fails at its COMMIT keeps every secret where it was and does not say it committed', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { engine } = t;
    await engine.secrets.save('kin/key', 'v-1');
    let committed = false;
    const move = engine.secrets.move(
      new Map([['kin/key', 'moved/key']]),
      () => {
        // A constraint checked only at COMMIT: the transaction fails there, after all its statements ran.
        engine.db.pragma('defer_foreign_keys = ON');
        engine.db.prepare("INSERT INTO syncs (name, model, destination, definition, updated_at) VALUES ('x', 'no model', 'no destination', '{}', 'x')").run();
      },
      () => (committed = true),
    );
    await expect(move).rejects.toThrow(/FOREIGN KEY constraint failed/);
    // Before, a rename told the Debugger's recorder inside the transaction: a failed COMMIT left it recording the destination's calls under a name it never took.
    expect(committed).toBe(false);
    expect(engine.secrets.list().map((s) => s.name)).toEqual(['kin/key']);
    expect(await engine.secrets.reveal('kin/key')).toBe('v-1');
    const account = (engine.db.prepare('SELECT account FROM secret_refs').get() as { account: string }).account;
    expect(await new AsyncEntry(KEYCHAIN_SERVICE, account.replace('kin/key', 'moved/key')).getPassword()).toBeNull();

    await engine.secrets.move(
      new Map([['kin/key', 'moved/key']]),
      () => undefined,
      () => (committed = true),
    );
    expect([committed, engine.secrets.list().map((s) => s.name)]).toEqual([true, ['moved/key']]);
  });

  it('keeps the value in the keychain and only a reference in SQLite; delete removes both', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { engine } = t;
    const saved = await engine.dispatcher.dispatch('saveSecret', { name: 'kafka/prod', value: 'pa55-word-A' }, trusted);
    expect(saved).toMatchObject({ ok: true, value: { name: 'kafka/prod', backend: 'os' } });

    const row = engine.db.prepare('SELECT * FROM secret_refs WHERE name = ?').get('kafka/prod') as Record<string, string>;
    expect(Object.values(row)).not.toContain('pa55-word-A');
    // Read it back the way any other keychain client would.
    expect(await new AsyncEntry(KEYCHAIN_SERVICE, row.account!).getPassword()).toBe('pa55-word-A');
    expect(await engine.secrets.reveal('kafka/prod')).toBe('pa55-word-A');

    expect(await engine.dispatcher.dispatch('deleteSecret', { name: 'kafka/prod' }, trusted)).toEqual({ ok: true, value: { deleted: true } });
    expect(await new AsyncEntry(KEYCHAIN_SERVICE, row.account!).getPassword()).toBeNull();
    expect(engine.secrets.list()).toEqual([]);
  });

  it('refuses to delete a secret a destination or a source uses, naming it; once nothing uses it, it goes', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const { engine } = t;
    const call = (channel: 'saveSecret' | 'saveDestination' | 'saveSource' | 'deleteSecret' | 'deleteDestination' | 'deleteSource', input: unknown) =>
      engine.dispatcher.dispatch(channel, input as never, trusted);
    await call('saveSecret', { name: 'kin/secret-access-key', value: 'wJalr-secret' });
    await call('saveSecret', { name: 'warehouse/password', value: 'pg-secret' });
    expect(await call('saveDestination', { mode: 'create', destination: KIN })).toMatchObject({ ok: true });
    const source = {
      kind: 'postgres',
      name: 'warehouse',
      host: '127.0.0.1',
      port: 1,
      database: 'dw',
      user: 'me',
      password: { keychain: 'warehouse/password' },
    };
    expect(await call('saveSource', { mode: 'create', source })).toMatchObject({ ok: true });

    expect(await call('deleteSecret', { name: 'kin/secret-access-key' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'The secret "kin/secret-access-key" cannot be deleted: the destination "kin" uses it. Delete the destination or give it another secret first.',
      },
    });
    expect(await call('deleteSecret', { name: 'warehouse/password' })).toMatchObject({
      ok: false,
      error: {
        message: 'The secret "warehouse/password" cannot be deleted: the source "warehouse" uses it. Delete the source or give it another secret first.',
      },
    });
    expect(await engine.secrets.reveal('kin/secret-access-key')).toBe('wJalr-secret');
    expect(await engine.secrets.reveal('warehouse/password')).toBe('pg-secret');

    expect(await call('deleteDestination', { name: 'kin' })).toMatchObject({ ok: true });
    expect(await call('deleteSource', { name: 'warehouse' })).toMatchObject({ ok: true });
    expect(await call('deleteSecret', { name: 'kin/secret-access-key' })).toEqual({ ok: true, value: { deleted: true } });
    expect(await call('deleteSecret', { name: 'warehouse/password' })).toEqual({ ok: true, value: { deleted: true } });
    expect(engine.secrets.list()).toEqual([]);
  });

  it('lists secrets with the numbers in their names by value (Settings → Secrets, sluice secrets list): kafka/2 before kafka/10', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    for (const name of ['kafka/10', 'kafka/2', 'Kafka/3', 'kafka/1']) await t.engine.secrets.save(name, 'v');
    closers.push(() => Promise.all(t.engine.secrets.list().map((s) => t.engine.secrets.delete(s.name))).then(() => undefined));
    // Before: kafka/1, kafka/10, kafka/2, by character code (and Kafka/3 first of all).
    expect(t.engine.secrets.list().map((s) => s.name)).toEqual(['kafka/1', 'kafka/2', 'Kafka/3', 'kafka/10']);
  });

  it('keeps two workspaces’ secrets of the same name apart', async () => {
    const a = await openTestEngine();
    const b = await openTestEngine();
    closers.push(a.close, b.close);
    await a.engine.secrets.save('shared-name', 'value-for-a');
    await b.engine.secrets.save('shared-name', 'value-for-b');
    expect(await a.engine.secrets.reveal('shared-name')).toBe('value-for-a');
    expect(await b.engine.secrets.reveal('shared-name')).toBe('value-for-b');
    await a.engine.secrets.delete('shared-name');
    await b.engine.secrets.delete('shared-name');
  });

  it('without a keychain, says why and how to enable one, and keeps secrets in memory only', () => {
    const ws = tempWorkspace();
    closers.push(ws.cleanup);
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' };
    delete (env as Record<string, string | undefined>).DBUS_SESSION_BUS_ADDRESS;
    const run = spawnSync(process.execPath, [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', ws.dir, 'info', '--json'], {
      env,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout) as { keychain: { backend: string; problem: string; howToEnable: string } };
    expect(info.keychain.backend).toBe('memory');
    expect(info.keychain.problem).toMatch(/OS keychain is not available/);
    expect(info.keychain.howToEnable).toMatch(/GNOME Keyring/);

    const set = spawnSync(process.execPath, [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', ws.dir, 'secrets', 'set', 'x'], {
      env,
      input: 'v',
      encoding: 'utf8',
    });
    expect(set.status).toBe(1);
    expect(set.stderr).toMatch(/OS keychain is not available.*GNOME Keyring/s);
  });
});
