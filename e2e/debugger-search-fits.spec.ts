import { expect, ready, test } from './fixtures';

// The Debugger's search field shows what it searches whole ("operation, error, request id, data…"): it was
// cut at "request" at 1400×900 and 900×600, and a search typed as long scrolled out of sight.

for (const size of [
  { width: 1400, height: 900 },
  { width: 900, height: 600 },
]) {
  test(`the search field’s example is seen whole at ${size.width}×${size.height}`, async ({ app }) => {
    await app.setViewportSize(size);
    await ready(app);
    await app.getByRole('link', { name: 'Debugger' }).click();
    const search = app.getByLabel('Search calls');
    const example = (await search.getAttribute('placeholder')) ?? '';
    expect(example).toBe('operation, error, request id, data…');
    await search.fill(example);
    await expect.poll(() => search.evaluate((el: HTMLInputElement) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  });
}
