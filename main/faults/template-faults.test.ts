import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

// The fault suite, templates: a payload template is data (often shared in a sluice.yaml). It may not
// read files from the disk and send them on, and one that would loop or grow for ever stops with an
// error instead of freezing the engine.

const closers = closeAfterEach();

async function setup(template: string): Promise<{ engine: Engine; secretFile: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const csv = path.join(t.dir, 'people.csv');
  fs.writeFileSync(csv, 'id,name\n1,a\n2,b\n');
  // A file a template might try to read, in the folder the process runs in and by absolute path.
  const secretFile = path.join(process.cwd(), `sluice-template-fault-${process.pid}.txt`);
  fs.writeFileSync(secretFile, 'TOP-SECRET-FROM-DISK');
  closers.push(() => fs.rmSync(secretFile, { force: true }));
  t.engine.catalog.putSource({ kind: 'csv', name: 'file', path: csv });
  t.engine.catalog.putModel({ name: 'people', source: 'file', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'templates' });
  t.engine.catalog.putSync({ name: 'out', model: 'people', destination: 'sandbox', triggers: ['added'], payload: { mode: 'template', template } });
  return { engine: t.engine, secretFile };
}

describe('fault suite: templates', () => {
  for (const tag of ['include', 'render']) {
    it(`{% ${tag} %} cannot read a file from the disk: the preview says so, and a run sends nothing of it`, async () => {
      const name = `sluice-template-fault-${process.pid}.txt`;
      const template = `{% capture l %}{% ${tag} "${name}" %}{% endcapture %}{"id": {{ row.id }}, "x": {{ l | json }}}`;
      const { engine, secretFile } = await setup(template);
      for (const file of [name, secretFile]) {
        const attempt = template.replace(name, file);
        const preview = await callChannel(engine, 'previewPayload', { model: 'people', payload: { mode: 'template', template: attempt } });
        expect(JSON.stringify(preview)).not.toContain('TOP-SECRET-FROM-DISK');
        expect(preview.items[0]!.error).toMatch(/templates cannot read files/);
      }
      const run = await engine.runSync('out');
      expect(run.counts).toMatchObject({ acknowledged: 0, failed: 2 });
      const rejected = engine.ledger.search({ runId: run.id, limit: 10 }).entries;
      expect(rejected.every((e) => e.status === 'rejected' && /templates cannot read files/.test(e.errorMessage ?? ''))).toBe(true);
    });
  }

  it('a loop that would run or grow for ever stops with an error for its row; the engine answers at once after', async () => {
    const { engine } = await setup('{"x": [{% for i in (1..100000000) %}{{ i }},{% endfor %}0]}');
    const started = Date.now();
    const preview = await callChannel(engine, 'previewPayload', {
      model: 'people',
      payload: { mode: 'template', template: '{% for i in (1..300000000) %}{% endfor %}{}' },
    });
    expect(preview.items[0]!.error).toMatch(/memory limit|longer than 1000 ms/);
    const run = await engine.runSync('out');
    expect(run.counts).toMatchObject({ acknowledged: 0, failed: 2 });
    expect(engine.ledger.search({ runId: run.id, limit: 10 }).entries[0]!.errorMessage).toMatch(/memory limit|longer than 1000 ms/);
    // Each row stops within the render limit: the whole test takes seconds, not minutes.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await callChannel(engine, 'getSettings', {})).theme).toBeDefined();
  });
});
