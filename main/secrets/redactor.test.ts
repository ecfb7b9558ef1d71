import { describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { REDACTED, Redactor } from './redactor';

// Secrets holding `"` or `\` are escaped by JSON.stringify; redaction must find them anyway.
const SECRET = 'pa"ss\\word';

describe('Redactor', () => {
  it('redacts a secret containing a quote and a backslash inside nested JSON values', () => {
    const r = new Redactor();
    r.remember(SECRET);
    const value = { error: { message: `login failed for ${SECRET}` }, list: [SECRET, 'ok'] };
    const json = r.redactJson(value);
    expect(json).not.toContain('pa\\"ss');
    expect(JSON.parse(json)).toEqual({ error: { message: `login failed for ${REDACTED}` }, list: [REDACTED, 'ok'] });
    expect(r.redactDeep(value)).toEqual({ error: { message: `login failed for ${REDACTED}` }, list: [REDACTED, 'ok'] });
  });

  it('a secret of up to 3 characters is redacted where it stands alone, not inside every word', () => {
    const r = new Redactor();
    r.remember('a');
    r.remember('x.1');
    expect(r.redact('SASL authentication failed for user:a@broker (password a)')).toBe(
      `SASL authentication failed for user:${REDACTED}@broker (password ${REDACTED})`,
    );
    expect(r.redact('a')).toBe(REDACTED);
    expect(r.redact('{"password":"a","pin":"x.1"}')).toBe(`{"password":"${REDACTED}","pin":"${REDACTED}"}`);
    // Inside words it is only a letter: the message stays readable and does not point at the secret.
    expect(r.redact('Kafka broker unavailable; x.12 and ax.1 are other words')).toBe('Kafka broker unavailable; x.12 and ax.1 are other words');
    // A longer secret is redacted wherever it occurs, inside words too.
    r.remember('hunter2');
    expect(r.redact('xhunter2x')).toBe(`x${REDACTED}x`);
  });

  it('the Debugger store keeps no such secret in a recorded call', async () => {
    const t = await openTestEngine();
    try {
      t.engine.redactor.remember(SECRET);
      t.engine.recorder.scope({ runId: null, context: 'connection-test', destination: 'd' }).record({
        service: 'kafka',
        operation: 'SaslAuthenticate',
        target: 'b:9092',
        status: 'error',
        startedMs: Date.now(),
        durationMs: 1,
        errorMessage: `bad password ${SECRET}`,
        request: { note: `user:${SECRET}` },
        response: { echoed: SECRET },
      });
      t.engine.recorder.flush();
      const row = t.engine.db.prepare('SELECT request, response, error_message FROM api_calls').get() as {
        request: string;
        response: string;
        error_message: string;
      };
      const text = JSON.stringify(row);
      expect(text).not.toContain('pa\\\\\\"ss');
      expect(JSON.parse(row.request)).toEqual({ note: `user:${REDACTED}` });
      expect(JSON.parse(row.response)).toEqual({ echoed: REDACTED });
      expect(row.error_message).toBe(`bad password ${REDACTED}`);
    } finally {
      await t.close();
    }
  });
});
