import { expect, it } from 'vitest';
import { callChannel, callChannelOrThrowWire } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

const closers = closeAfterEach();

it("a broker port past 65535: the connection test says so in words (it showed Node's RangeError), and the saved destination still lists and can be fixed", async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const destination = { kind: 'kafka' as const, name: 'typo', brokers: ['127.0.0.1:90920'], topic: 't' };
  t.engine.catalog.putDestination(destination);
  const tested = await callChannel(t.engine, 'testDestination', { destination: 'typo' });
  expect(tested.steps.find((step) => step.step === 'TCP connection')).toMatchObject({ status: 'failed', detail: 'That is not a port: a port is 1 to 65535' });
  const draft = await callChannel(t.engine, 'testDestinationDraft', { draft: destination });
  expect(JSON.stringify(draft)).toContain('That is not a port: a port is 1 to 65535');
  expect((await callChannel(t.engine, 'listDestinations', {})).map((d) => d.name)).toContain('typo');
  t.engine.catalog.putDestination({ ...destination, brokers: ['127.0.0.1:9092'] });
  expect(t.engine.catalog.getDestination('typo')).toMatchObject({ brokers: ['127.0.0.1:9092'] });
});

it('the app refuses to save what sluice apply refuses (a port past 65535, a topic or sandbox stream name the service refuses), naming each field; a saved one is fixed by saving it mended', async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const refusal = (destination: object, mode: 'create' | 'update' = 'create') =>
    callChannelOrThrowWire(t.engine, 'saveDestination', { destination, mode } as never).then(
      () => null,
      (err: unknown) => (err as { wire: { message: string; issues: { path: string }[] } }).wire,
    );
  const kafka = await refusal({ kind: 'kafka', name: 'k', brokers: ['h:70000'], topic: 'orders v2' });
  expect(kafka?.message).toMatch(/^The destination "k" cannot be used: The broker h:70000 has no valid port/);
  expect(kafka?.issues.map((i) => i.path)).toEqual(['destination.brokers.0', 'destination.topic']);
  const sandbox = await refusal({ kind: 'sandbox-kinesis', name: 'sb', stream: 'bad/stream name' });
  expect(sandbox?.issues.map((i) => i.path)).toEqual(['destination.stream']);
  expect((await callChannel(t.engine, 'listDestinations', {})).map((d) => d.name)).not.toContain('k');
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'old', brokers: ['h:70000'], topic: 't' }); // saved before this check
  expect(await refusal({ kind: 'kafka', name: 'old', brokers: ['h:9092'], topic: 't' }, 'update')).toBeNull();
});
