import { expect, ready, test } from './fixtures';

// The routing preview's "sample [2000] at [rate] records/s" reads on one line (each input took its label's
// whole width, so "sample", "at" and "records/s" each stood on a line of their own, the two inputs at
// different heights).

test('sample, rate and records/s are on one line', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const preview = app.getByRole('region', { name: 'Routing preview' });
  const sample = preview.getByLabel('Sample rows');
  const rate = preview.getByLabel('Send rate');
  await expect(rate).toBeVisible();
  const sampleBox = (await sample.boundingBox())!;
  const rateBox = (await rate.boundingBox())!;
  expect(Math.round(rateBox.y)).toBe(Math.round(sampleBox.y));
  expect(rateBox.x).toBeGreaterThan(sampleBox.x + sampleBox.width);
  // The rate's label ("at … records/s") is one line: no taller than its input.
  const label = (await rate.locator('xpath=..').boundingBox())!;
  expect(label.height).toBeLessThanOrEqual(rateBox.height + 2);
});
