import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { newDestination, testAndChoose } from './steps';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../main/testing/peers/kinesis';
import { startMoto, type MotoPeer } from '../main/testing/peers/moto';
import { awsClientConfig } from '../main/aws/client-config';

// Creating a Kafka topic on a real broker and a Kinesis stream on kinesis-local from the destination
// wizard, and sending one previewed row as a test record from the payload editor (issue #14).

let kafka: KafkaPeer;
let kinesis: KinesisPeer;
test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  test.setTimeout(300_000);
  [kafka, kinesis] = await Promise.all([startKafka(), startKinesisLocal()]);
});
test.afterAll(async () => {
  await Promise.all([kafka?.stop(), kinesis?.stop()]);
});
test.beforeEach(async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
});

test('creates a Kafka topic on the real broker from the wizard: too many replicas said plainly, then the new topic is chosen', async ({ app }) => {
  test.setTimeout(90_000);
  const wizard = await newDestination(app, /Apache Kafka/, 'Events');
  await wizard.getByLabel('Brokers').fill(kafka.listeners.plaintext);
  await testAndChoose(wizard, 'topic');

  await wizard.getByRole('button', { name: 'Create a new topic…' }).click();
  const create = wizard.getByRole('region', { name: 'Create a topic' });
  await create.getByLabel('Topic name').fill('orders.v1');
  await create.getByLabel('Partitions').fill('2');
  await create.getByLabel('Replication factor').fill('3');
  await create.getByLabel('Retention').selectOption({ label: '7 days' });
  await create.getByRole('button', { name: 'Create topic' }).click();
  await expect(create.getByRole('alert')).toContainText('A replication factor of 3 needs 3 brokers, but the cluster has 1 broker');
  await expect(create.getByText('At most 1 on this cluster')).toBeVisible();
  await shot(app, 'wizard-create-topic-error');

  await create.getByLabel('Replication factor').fill('1');
  await create.getByRole('button', { name: 'Create topic' }).click();
  await expect(wizard.getByRole('status')).toContainText('Created the topic "orders.v1": 2 partition(s), replication factor 1, retention 7 days');
  await expect(wizard.getByLabel('Topic', { exact: true })).toHaveValue('orders.v1');
  await shot(app, 'wizard-topic-created');

  await wizard.getByRole('button', { name: 'Review' }).click();
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  await expect(app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /Events/ })).toContainText('orders.v1');
});

test('"Create a new topic…" with the name of a topic already on the broker uses that topic, and says so, instead of leaving none', async ({ app }) => {
  test.setTimeout(90_000);
  await kafka.createTopic('already.there', 1);
  const wizard = await newDestination(app, /Apache Kafka/, 'Existing');
  await wizard.getByLabel('Brokers').fill(kafka.listeners.plaintext);
  await testAndChoose(wizard, 'topic');

  await wizard.getByRole('button', { name: 'Create a new topic…' }).click();
  const create = wizard.getByRole('region', { name: 'Create a topic' });
  await create.getByLabel('Topic name').fill('already.there');
  await create.getByRole('button', { name: 'Create topic' }).click();
  await expect(wizard.getByRole('status')).toContainText('The topic "already.there" already exists — it will be used as it is');
  await expect(wizard.getByLabel('Topic', { exact: true })).toHaveValue('already.there');

  await wizard.getByRole('button', { name: 'Review' }).click();
  await expect(wizard.getByText('(from each row)')).toHaveCount(0);
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  await expect(app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /Existing/ })).toContainText('already.there');
});

test('creates a provisioned Kinesis stream on kinesis-local from the wizard; it turns ACTIVE and is chosen', async ({ app }) => {
  test.setTimeout(90_000);
  const wizard = await newDestination(app, /Amazon Kinesis Data Streams/, 'Clicks');
  await wizard.getByLabel('Endpoint').fill(kinesis.endpoint);
  await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  await testAndChoose(wizard, 'stream');

  await wizard.getByRole('button', { name: 'Create a new stream…' }).click();
  const create = wizard.getByRole('region', { name: 'Create a stream' });
  await create.getByLabel('Stream name').fill('bad/name');
  await create.getByLabel('Capacity mode').selectOption('provisioned');
  await create.getByLabel('Shards').fill('0');
  await create.getByRole('button', { name: 'Create stream' }).click();
  await expect(create.getByText('A stream name may use letters, digits and _ . - only')).toBeVisible();
  await expect(create.getByText('The shard count must be a whole number from 1 to 10,000')).toBeVisible();
  await shot(app, 'wizard-create-stream-invalid');

  await create.getByLabel('Stream name').fill('clicks-2026');
  await create.getByLabel('Shards').fill('2');
  await create.getByRole('button', { name: 'Create stream' }).click();
  await expect(wizard.getByRole('status')).toContainText('The stream "clicks-2026" is ACTIVE (provisioned, 2 shard(s))');
  const picker = wizard.getByLabel('Stream', { exact: true });
  await expect(picker).toHaveValue('clicks-2026');
  await expect(picker.locator('option:checked')).toHaveText('clicks-2026');
  await shot(app, 'wizard-stream-created');

  await wizard.getByRole('button', { name: 'Review' }).click();
  await expect(wizard.getByLabel('IAM policy', { exact: true })).toContainText('stream/clicks-2026');
});

test('sends a previewed row as a test record: its shard and sequence number, and the bytes read back match; the Debugger shows the calls as test-record', async ({
  app,
}) => {
  test.setTimeout(60_000);
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const preview = app.getByRole('region', { name: 'Preview' });
  await preview.getByLabel('Preview rows').selectOption('key');
  await preview.getByLabel('Preview key').fill('1999');
  const item = preview.getByTestId('preview-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('key 1999');
  await item.getByRole('button', { name: 'Send this row as a test record' }).click();

  const result = item.getByRole('status', { name: 'Test record result' });
  await expect(result.getByTestId('landed-shard')).toHaveText(/^shardId-\d{12}$/, { timeout: 30_000 });
  await expect(result.getByTestId('landed-sequence')).toHaveText(/^\d{20,}$/);
  await expect(result.getByTestId('test-record-readback')).toHaveAttribute('data-match', 'true');
  await expect(result.getByTestId('test-record-readback')).toHaveText(/^✓ Read back: bytes match \(\d+ bytes\)$/);
  await result.getByText('Bytes read back').click();
  await expect(result.locator('pre')).toContainText('"id":1999');
  await shot(app, 'payload-test-record');

  // Not part of any run (proven in main/sync/test-record.test.ts); the Debugger shows its calls.
  await app.getByRole('link', { name: 'Debugger' }).click();
  await app.getByLabel('Context').selectOption('test-record');
  const rows = app.getByTestId('api-call-list').getByTestId('api-call-row');
  await expect(rows.first()).toBeVisible();
  await expect(rows.and(app.locator('[data-operation="PutRecords"]'))).toHaveCount(1);
  await shot(app, 'debugger-test-record');
});

test.describe('Firehose on moto', () => {
  let moto: MotoPeer;
  test.beforeAll(async ({}, testInfo) => {
    skipWithoutApp(testInfo);
    test.setTimeout(300_000);
    moto = await startMoto();
    const s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'landing-bucket' }));
    s3.destroy();
  });
  test.afterAll(async () => {
    await moto?.stop();
  });

  test('creates a delivery stream to an S3 bucket and prefix through a role, explained; it turns ACTIVE and is chosen', async ({ app }) => {
    test.setTimeout(90_000);
    const wizard = await newDestination(app, /Amazon Data Firehose/, 'Lake');
    await wizard.getByLabel('Endpoint').fill(moto.endpoint);
    await wizard.getByLabel('Access key ID').fill(moto.credentials.accessKeyId);
    await wizard.getByLabel('Secret access key: value').fill(moto.credentials.secretAccessKey);
    await wizard.getByRole('button', { name: 'Test the connection' }).click();
    await expect(wizard.getByRole('region', { name: 'Connection test' }).locator('[data-step="Listing"]')).toHaveAttribute('data-status', 'ok');
    await wizard.getByRole('button', { name: 'Choose the delivery stream' }).click();

    await wizard.getByRole('button', { name: 'Create a new delivery stream…' }).click();
    const create = wizard.getByRole('region', { name: 'Create a delivery stream' });
    await expect(create).toContainText('Firehose writes to the bucket as an IAM role of its own');
    await create.getByLabel('Delivery stream name').fill('events-to-s3');
    await create.getByLabel('S3 bucket').fill('landing-bucket');
    await create.getByLabel('Prefix (optional)').fill('events/');
    await create.getByLabel('Role ARN for S3 delivery').fill('role/firehose');
    await create.getByRole('button', { name: 'Create delivery stream' }).click();
    await expect(create.getByText('A role ARN looks like arn:aws:iam::123456789012:role/firehose-to-s3')).toBeVisible();
    await create.getByLabel('Role ARN for S3 delivery').fill('arn:aws:iam::123456789012:role/firehose-to-s3');
    await shot(app, 'wizard-create-delivery-stream');
    await create.getByRole('button', { name: 'Create delivery stream' }).click();
    await expect(wizard.getByRole('status')).toContainText('The delivery stream "events-to-s3" is ACTIVE to s3://landing-bucket/events/');
    await expect(wizard.getByLabel('Delivery stream', { exact: true })).toHaveValue('events-to-s3');
  });
});
