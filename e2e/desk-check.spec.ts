import { expect, ready, test } from './fixtures';
import { DESK_VIEWS, SIZES, THEMES, deskShot, look, overflowing, prepareDesk, seriousAxeViolations, unreachableByKeyboard } from './desk-walk';

// Issue 15, items 5 and 9: every view at 1400×900 and 1024×700, light and dark — no element's content is
// wider than its box (tables scroll inside their card, text wraps, button labels stay on one line), axe-core
// finds no serious or critical accessibility problem, and what a mouse can click the keyboard can reach.
// Each step is also a PNG in $SLUICE_SHOTS_DIR (`npm run shots`). Problems are gathered over the whole walk
// (soft assertions), so one run names them all and writes every PNG.

for (const size of SIZES) {
  for (const theme of THEMES) {
    const where = `${size.width}×${size.height}, ${theme}`;
    test(`every view fits its window and passes axe-core at ${where}`, async ({ app }) => {
      test.setTimeout(240_000);
      await prepareDesk(app);
      await look(app, size, theme);
      for (const view of DESK_VIEWS) {
        await test.step(view.name, async () => {
          await view.open(app);
          await deskShot(app, `${size.width}x${size.height}-${theme}-${view.name}`);
          expect.soft(await overflowing(app), `overflowing boxes: ${view.name} at ${where}`).toEqual([]);
          expect.soft(await seriousAxeViolations(app), `axe-core: ${view.name} at ${where}`).toEqual([]);
          expect.soft(await unreachableByKeyboard(app), `clickable but not reachable by keyboard: ${view.name} at ${where}`).toEqual([]);
        });
      }
    });
  }
}

test.describe('an empty workspace', () => {
  test.use({ demo: false });

  test('the getting-started guide fits and passes axe-core, at two sizes, light and dark', async ({ app }) => {
    await ready(app);
    await expect(app.getByRole('region', { name: 'Getting started' })).toBeVisible();
    for (const size of SIZES) {
      for (const theme of THEMES) {
        const where = `getting started at ${size.width}×${size.height}, ${theme}`;
        await look(app, size, theme);
        await deskShot(app, `${size.width}x${size.height}-${theme}-getting-started`);
        expect.soft(await overflowing(app), `overflowing boxes: ${where}`).toEqual([]);
        expect.soft(await seriousAxeViolations(app), `axe-core: ${where}`).toEqual([]);
        expect.soft(await unreachableByKeyboard(app), `clickable but not reachable by keyboard: ${where}`).toEqual([]);
      }
    }
  });
});
