import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

// The fault suite, model files: a path that is a folder (or otherwise unreadable) fails the run in
// words and ends it (no crash, no run left "running"); an NDJSON file with a byte-order mark reads.

const closers = closeAfterEach();

async function setup(kind: 'csv' | 'ndjson', file: string): Promise<Engine> {
  const t = await openTestEngine();
  closers.push(t.close);
  t.engine.catalog.putSource({ kind, name: 'file', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'file', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'files' });
  t.engine.catalog.putSync({
    name: 'out',
    model: 'people',
    destination: 'sandbox',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id | json }}}' },
  });
  return t.engine;
}

describe('fault suite: model files', () => {
  for (const kind of ['csv', 'ndjson'] as const) {
    it(`a ${kind} model whose path is a folder fails the run saying so, and the run ends`, async () => {
      const folder = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'sluice-folder-'));
      closers.push(() => fs.rmSync(folder, { recursive: true, force: true }));
      const engine = await setup(kind, folder);
      const run = await engine.runSync('out');
      expect({ status: run.status, error: run.error }).toEqual({ status: 'failed', error: `Cannot read ${folder}: it is a folder, not a file` });
      expect(engine.runs.get(run.id)!.status).toBe('failed');
    });
  }

  it('an NDJSON file that starts with a UTF-8 byte-order mark reads like one without', async () => {
    const t = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'sluice-bom-'));
    closers.push(() => fs.rmSync(t, { recursive: true, force: true }));
    const file = path.join(t, 'people.ndjson');
    fs.writeFileSync(file, '\uFEFF{"id": 1}\n{"id": 2}\n');
    const engine = await setup('ndjson', file);
    expect(await engine.runSync('out')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 2 } });
  });

  it("an NDJSON line that leaves out a field other lines have renders it as null (inline and on the render threads), and the field's absence is no change", async () => {
    const t = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'sluice-sparse-'));
    closers.push(() => fs.rmSync(t, { recursive: true, force: true }));
    const file = path.join(t, 'people.ndjson');
    const lines = ['{"id": 1, "email": "a@x", "tags": {"vip": true}}', '{"id": 2}', '{"id": 3, "email": null}'];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const engine = await setup('ndjson', file);
    const sync = engine.catalog.getSync('out').definition;
    for (const [name, payload] of [
      ['template', { mode: 'template', template: '{"id": {{ row.id | json }}, "email": {{ row.email | json }}, "vip": {{ row.tags.vip | json }}}' }],
      [
        'mapping',
        {
          mode: 'mapping',
          fields: [
            { column: 'id', key: 'id' },
            { column: 'email', key: 'email' },
            { column: 'tags', key: 'tags' },
          ],
        },
      ],
    ] as const) {
      engine.catalog.putSync({ ...sync, name, payload });
      for (const renderPoolThreshold of [undefined, 1]) {
        engine.db.prepare('DELETE FROM snapshot').run();
        const run = await engine.runSync(name, { renderPoolThreshold });
        expect({ status: run.status, acknowledged: run.counts.acknowledged, failed: run.counts.failed }).toEqual({
          status: 'succeeded',
          acknowledged: 3,
          failed: 0,
        });
        const sent = engine.db.prepare('SELECT key, data FROM ledger WHERE run_id = ? ORDER BY key').all(run.id) as { key: string; data: Buffer }[];
        expect(sent.map((r) => [r.key, r.data.toString()])).toEqual(
          name === 'template'
            ? [
                ['1', '{"id":1,"email":"a@x","vip":true}'],
                ['2', '{"id":2,"email":null,"vip":null}'],
                ['3', '{"id":3,"email":null,"vip":null}'],
              ]
            : [
                ['1', '{"id":1,"email":"a@x","tags":{"vip":true}}'],
                ['2', '{"id":2,"email":null,"tags":null}'],
                ['3', '{"id":3,"email":null,"tags":null}'],
              ],
        );
      }
    }
    // A row is what its line says: in another order (the first lines, which name the columns, differ) nothing changed.
    fs.writeFileSync(file, [...lines].reverse().join('\n') + '\n');
    expect((await engine.runSync('mapping')).counts).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 3 });
  });

  for (const kind of ['csv', 'ndjson'] as const) {
    it.runIf(process.platform !== 'win32')(
      `a ${kind} model on a named pipe (FIFO) fails the run at once saying so, instead of waiting for a writer`,
      async () => {
        const t = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'sluice-fifo-'));
        closers.push(() => fs.rmSync(t, { recursive: true, force: true }));
        const fifo = path.join(t, `people.${kind}`);
        execFileSync('mkfifo', [fifo]);
        const engine = await setup(kind, fifo);
        const run = await engine.runSync('out');
        expect({ status: run.status, error: run.error }).toEqual({
          status: 'failed',
          error: `Cannot read ${fifo}: it is not a regular file (a named pipe, socket or device); save the rows to a file and point the source at it`,
        });
      },
    );
  }
});
