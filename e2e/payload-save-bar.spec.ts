import { expect, ready, test } from './fixtures';

// The payload's Unsaved, Revert and Save stay on the right once the payload is edited, also when they take a
// line of their own (at 1400×900 Save payload jumped from the right edge to the middle, under the mode tabs,
// and the reason it cannot save sat below the buttons' middle line).

test('Save payload stays at the right edge when the payload is edited, the reason beside it on its line', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const save = app.getByRole('button', { name: 'Save payload' });
  await expect(save).toBeEnabled();
  const right = async () => {
    const box = (await save.boundingBox())!;
    return Math.round(box.x + box.width);
  };
  const before = await right();

  await app.getByRole('tab', { name: 'Field mapper' }).click();
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  await expect(save).toBeDisabled();
  await expect.poll(right).toBe(before);

  const why = app.getByTestId('save-blocked-why');
  await expect(why).toBeVisible();
  const middle = async (box: { y: number; height: number } | null) => Math.round(box!.y + box!.height / 2);
  expect(Math.abs((await middle(await why.boundingBox())) - (await middle(await save.boundingBox())))).toBeLessThanOrEqual(2);
});
