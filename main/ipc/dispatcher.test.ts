import { afterEach, describe, expect, it } from 'vitest';
import { openTestEngine, trusted } from '../testing/engine';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
async function engine() {
  const t = await openTestEngine();
  closers.push(t.close);
  return t.engine;
}

describe('Dispatcher', () => {
  it('answers a valid request with the handler result', async () => {
    const e = await engine();
    const result = await e.dispatcher.dispatch('updateSettings', { theme: 'dark' }, trusted);
    expect(result).toEqual({ ok: true, value: { theme: 'dark', debuggerRetentionDays: 30, runAlerts: true } });
    expect(await e.dispatcher.dispatch('getSettings', {}, trusted)).toMatchObject({ ok: true, value: { theme: 'dark' } });
  });

  it('refuses invalid input with a typed error naming the field and the reason, and changes nothing', async () => {
    const e = await engine();
    const result = await e.dispatcher.dispatch('updateSettings', { debuggerRetentionDays: 0 }, trusted);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'Could not save settings: the input is not valid',
        issues: [{ path: 'debuggerRetentionDays', message: 'Debugger retention must be at least 1 day' }],
      },
    });
    expect(e.settings.get().debuggerRetentionDays).toBe(30);
  });

  it('refuses fields the contract does not know', async () => {
    const e = await engine();
    const result = await e.dispatcher.dispatch('updateSettings', { colour: 'red' }, trusted);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues?.[0]?.message).toMatch(/colour/);
  });

  it('refuses an unknown channel and an untrusted sender', async () => {
    const e = await engine();
    expect(await e.dispatcher.dispatch('dropTables', {}, trusted)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    const refused = await e.dispatcher.dispatch('getSettings', {}, { transport: 'electron', origin: 'https://evil.example', trusted: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden-sender', message: 'Refused a request from https://evil.example' } });
  });

  it('redacts known secrets from handler errors before they reach the renderer', async () => {
    const e = await engine();
    e.redactor.remember('tops3cret-pw');
    // A handler that fails with the secret in its message (as a driver error might).
    (e.dispatcher as unknown as { handlers: Record<string, () => never> }).handlers.getSettings = () => {
      throw new Error('SASL failed for user bob password tops3cret-pw');
    };
    const result = await e.dispatcher.dispatch('getSettings', {}, trusted);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Could not read settings: SASL failed for user bob password [redacted]' } });
    expect(e.log.tail(5).join('\n')).not.toContain('tops3cret-pw');
  });
});
