import { expect, it } from 'vitest';
import { callChannel } from '../testing/call-channel';
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
