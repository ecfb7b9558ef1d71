import { expect, ready, test } from './fixtures';

// The destination wizard's Back to the type step: choosing the same type again goes on with what was typed
// (it wiped the endpoint and the access key), and an error shown for the connection form does not stay over
// the type step, nor come back once a type is chosen.

test('Back to the type and the same type again keeps what was typed; the connection’s error goes', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
  await wizard.getByLabel('Endpoint').fill('http://127.0.0.1:4567');
  await wizard.getByLabel('Access key ID').fill('AKIAIOSFODNN7EXAMPLE');
  // No name: Test refuses, saying so.
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  const error = wizard.getByRole('alert').filter({ hasText: 'Some settings are not valid' });
  await expect(error).toBeVisible();

  await wizard.getByRole('button', { name: 'Back' }).click();
  await expect(wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ })).toBeVisible();
  await expect(error).toBeHidden();
  await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
  await expect(wizard.getByLabel('Endpoint')).toHaveValue('http://127.0.0.1:4567');
  await expect(wizard.getByLabel('Access key ID')).toHaveValue('AKIAIOSFODNN7EXAMPLE');
  await expect(error).toBeHidden();

  // Another type starts that type's form (the name kept), as before.
  await wizard.getByLabel('Name', { exact: true }).fill('clicks');
  await wizard.getByRole('button', { name: 'Back' }).click();
  await wizard.getByRole('radio', { name: /Apache Kafka/ }).click();
  await expect(wizard.getByLabel('Name', { exact: true })).toHaveValue('clicks');
  await expect(wizard.getByLabel('Brokers')).toHaveValue('');
});
