import { expect, ready, test } from './fixtures';

// A sync's Settings → Name: a long name being typed is seen whole (the field was 190 px wide whatever the
// window, so a name of 40 characters already scrolled out of sight).

test('a long new sync name is seen whole at 1400×900', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Settings' }).click();
  const input = app.getByLabel('New name');
  await input.fill('Customers to sandbox from the nightly production replica');
  await expect.poll(() => input.evaluate((el: HTMLInputElement) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
});
