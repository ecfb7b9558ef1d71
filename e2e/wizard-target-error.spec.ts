import { expect, test } from './fixtures';
import { usePeoplePeers } from './peer-setup';
import { LOCAL_AWS_CREDENTIALS } from '../main/testing/peers/kinesis';
import { newDestination, testAndChoose } from './steps';

// The wizard's "Choose the stream", said by Review with none chosen, goes once a stream is chosen (it stayed
// over the form with the stream chosen, and after one was created, until Review was pressed again).

const peers = usePeoplePeers({ prefix: 'wizard-target', rows: 1, kinesis: { server: 'kinesalite', streams: [{ name: 'clicks', shards: 1 }] } });

test('choosing the stream takes away "Choose the stream"', async ({ app }) => {
  const wizard = await newDestination(app, /Amazon Kinesis Data Streams/, 'clicks');
  await wizard.getByLabel('Endpoint').fill(peers.kinesis.endpoint);
  await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  await testAndChoose(wizard, 'stream');
  await wizard.getByRole('button', { name: 'Review' }).click();
  const error = wizard.getByRole('alert').filter({ hasText: 'Choose the stream' });
  await expect(error).toBeVisible();
  await wizard.getByLabel(/^Stream/).selectOption('clicks');
  await expect(error).toBeHidden();
});
