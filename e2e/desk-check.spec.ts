import { expect, shot, test } from './fixtures';
import { DESK_VIEWS, SIZES, THEMES, look, overflowing, prepareDesk, seriousAxeViolations } from './desk-walk';

// Issue 15, items 5 and 9: every view at 1400×900 and 1024×700, light and dark — no element's content is
// wider than its box (tables scroll inside their card, text wraps), and axe-core finds no serious or critical
// accessibility problem. Each step is also a PNG in $SLUICE_SHOTS_DIR (`npm run shots`). Problems are
// gathered over the whole walk (soft assertions), so one run names them all and writes every PNG.

test('every view fits its window and passes axe-core, at two sizes, light and dark', async ({ app }) => {
  test.setTimeout(300_000);
  await prepareDesk(app);
  for (const size of SIZES) {
    for (const theme of THEMES) {
      await test.step(`${size.width}×${size.height} ${theme}`, async () => {
        await look(app, size, theme);
        for (const view of DESK_VIEWS) {
          const where = `${view.name} at ${size.width}×${size.height}, ${theme}`;
          await view.open(app);
          await shot(app, `${size.width}x${size.height}-${theme}-${view.name}`);
          expect.soft(await overflowing(app), `overflowing boxes: ${where}`).toEqual([]);
          expect.soft(await seriousAxeViolations(app), `axe-core: ${where}`).toEqual([]);
        }
      });
    }
  }
});

test.describe('an empty workspace', () => {
  test.use({ demo: false });

  test('the getting-started guide fits and passes axe-core, at two sizes, light and dark', async ({ app }) => {
    await app.locator('[data-app-ready="true"]').waitFor();
    const guide = app.getByRole('region', { name: 'Getting started' });
    await expect(guide).toBeVisible();
    for (const size of SIZES) {
      for (const theme of THEMES) {
        const where = `getting started at ${size.width}×${size.height}, ${theme}`;
        await look(app, size, theme);
        await shot(app, `${size.width}x${size.height}-${theme}-getting-started`);
        expect.soft(await overflowing(app), `overflowing boxes: ${where}`).toEqual([]);
        expect.soft(await seriousAxeViolations(app), `axe-core: ${where}`).toEqual([]);
      }
    }
  });
});
