import type { Locator, Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';

// The source editor, the destination wizard (new and edit), the sync settings form (new and a sync's Settings)
// and the payload editor ask before their changes are lost, as the model editor does: their Cancel, a section,
// the palette's jump, Back and closing the tab ask Keep editing or Discard changes (closing the tab not in the
// payload editor, whose draft the browser keeps across a reload); so do another sync of the list, another tab
// of the sync, Run now and New sync for the sync's settings and payload, and Rename for its settings. A new name typed
// in a Rename form (a model's, a source's, a destination's, a sync's) asks alike, and so does a move made at once after a
// keystroke in the payload editor (before the page has rendered it). Without changes, nothing asks.

const section = (app: Page, name: string) => app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
const asked = (app: Page, title: string) => app.getByRole('alertdialog', { name: title });

/** Records the browser's own questions (closing the tab), dismissing them. */
function browserQuestions(app: Page): string[] {
  const seen: string[] = [];
  app.on('dialog', (d) => void (seen.push(d.type()), d.dismiss()));
  return seen;
}

/** A section (its question shot as `shotName`), the palette's jump and Back each ask (the address stays `at`), and Keep editing keeps `kept`. */
async function everyMoveAsks(app: Page, ask: Locator, at: RegExp, kept: Locator, shotName: string) {
  await section(app, 'Debugger');
  await expect(ask).toBeVisible();
  await shot(app, shotName);
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await expect(app).toHaveURL(at);
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toHaveCount(0);
  await expect(kept).toBeVisible();
  await app.keyboard.press('Control+k');
  await app.getByRole('combobox', { name: /Go to/ }).fill('Customers');
  await app.keyboard.press('Enter');
  await expect(ask).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await app.goBack();
  await expect(ask).toBeVisible();
  await expect(app).toHaveURL(at);
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(kept).toBeVisible();
}

/** Closing the tab asks (the browser's question); dismissed, the page stays. */
async function closingAsks(app: Page, seen: string[], kept: Locator) {
  const before = seen.length;
  await app.close({ runBeforeUnload: true });
  await expect.poll(() => seen.slice(before)).toEqual(['beforeunload']);
  await expect(kept).toBeVisible();
}

/**
 * Types `text` into the focused payload editor and clicks `target` as soon as the editor has taken it, in the
 * same moment (before the page has rendered the keystroke): a click made right after typing.
 */
async function typeThenClickAtOnce(app: Page, text: string, target: Locator) {
  await target.evaluate((el) => {
    const typing = document.activeElement as HTMLElement & { editContext?: EventTarget | null };
    const input = typing.editContext ?? typing;
    input.addEventListener(typing.editContext ? 'textupdate' : 'input', () => queueMicrotask(() => (el as HTMLElement).click()), { once: true });
  });
  await app.keyboard.insertText(text);
}

test('a name typed to rename a model, a source or a destination asks before it is lost; not untouched or unchanged', async ({ app }) => {
  test.setTimeout(90_000);
  await ready(app);
  const seen = browserQuestions(app);
  await section(app, 'Syncs');
  await section(app, 'Models');
  const newName = app.getByLabel('New name');
  const renameButton = (name: string) => app.getByRole('button', { name: `Rename ${name}`, exact: true });

  // Untouched, then the name it has (spaces around): a section goes at once.
  await renameButton('Customers').click();
  await section(app, 'Sources');
  await expect(app).toHaveURL(/#\/sources$/);
  await section(app, 'Models');
  await renameButton('Customers').click();
  await newName.fill(' Customers ');
  await section(app, 'Sources');
  await expect(app).toHaveURL(/#\/sources$/);
  await section(app, 'Models');

  // A model's new name typed: every move asks, the name kept; so does Add a model; Discard on a section goes there.
  await renameButton('Customers').click();
  await newName.fill('Customers renamed');
  const ask = asked(app, 'Discard the new name of the model “Customers”?');
  await everyMoveAsks(app, ask, /#\/models$/, newName, 'rename-model-unsaved-ask');
  await expect(newName).toHaveValue('Customers renamed');
  await app.getByRole('button', { name: 'Add a model' }).click();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(newName).toHaveValue('Customers renamed');
  await closingAsks(app, seen, newName);
  await section(app, 'Sources');
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/sources$/);

  // A source's: Edit on its row asks, Keep editing keeps the name; Discard on a section goes there.
  await renameButton('Demo database').click();
  await newName.fill('Demo renamed');
  await app.getByRole('button', { name: 'Edit Demo database' }).click();
  const askSource = asked(app, 'Discard the new name of the source “Demo database”?');
  await expect(askSource).toBeVisible();
  await shot(app, 'rename-source-unsaved-ask');
  await askSource.getByRole('button', { name: 'Keep editing' }).click();
  await expect(newName).toHaveValue('Demo renamed');
  await expect(app.getByRole('region', { name: 'Edit Demo database' })).toHaveCount(0);
  await section(app, 'Destinations');
  await askSource.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/destinations$/);

  // A destination's: a section asks; Discard on New destination opens the wizard.
  await renameButton('Sandbox stream').click();
  await newName.fill('Sandbox renamed');
  await section(app, 'Syncs');
  const askDestination = asked(app, 'Discard the new name of the destination “Sandbox stream”?');
  await expect(askDestination).toBeVisible();
  await askDestination.getByRole('button', { name: 'Keep editing' }).click();
  await expect(newName).toHaveValue('Sandbox renamed');
  await app.getByRole('button', { name: 'New destination' }).click();
  await askDestination.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app.getByRole('region', { name: 'New destination' })).toBeVisible();
  expect(seen).toEqual(['beforeunload']);
});

test('the source editor asks before its changes are lost, new or edited; not without changes', async ({ app }) => {
  test.setTimeout(90_000);
  await ready(app);
  const seen = browserQuestions(app);
  await section(app, 'Syncs');
  await section(app, 'Sources');

  // Nothing changed: a section and Cancel go at once.
  await app.getByRole('button', { name: 'Edit Demo database' }).click();
  const edit = app.getByRole('region', { name: 'Edit Demo database' });
  await section(app, 'Models');
  await expect(app).toHaveURL(/#\/models$/);
  await section(app, 'Sources');
  await app.getByRole('button', { name: 'Add a source' }).click();
  const created = app.getByRole('region', { name: 'New source' });
  await created.getByRole('button', { name: 'Cancel' }).click();
  await expect(created).toHaveCount(0);

  // A new source with a name typed: Cancel asks; Discard changes closes it.
  await app.getByRole('button', { name: 'Add a source' }).click();
  await created.getByLabel('Name', { exact: true }).fill('people');
  await created.getByRole('button', { name: 'Cancel' }).click();
  const askNew = asked(app, 'Discard this new source?');
  await expect(askNew).toBeVisible();
  await shot(app, 'source-unsaved-ask');
  await askNew.getByRole('button', { name: 'Discard changes' }).click();
  await expect(created).toHaveCount(0);

  // An edited path: every move asks, the path kept; Discard on Back goes back.
  await app.getByRole('button', { name: 'Edit Demo database' }).click();
  await edit.getByLabel('Path').fill('/tmp/elsewhere.db');
  const ask = asked(app, 'Discard your changes to “Demo database”?');
  await everyMoveAsks(app, ask, /#\/sources$/, edit, 'source-edit-unsaved-ask');
  await expect(edit.getByLabel('Path')).toHaveValue('/tmp/elsewhere.db');
  await closingAsks(app, seen, edit);
  await app.goBack();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/models$/);
  expect(seen).toEqual(['beforeunload']);
});

test.describe('a destination the wizard edits', () => {
  test.use({
    config: `version: 1
destinations:
  - kind: kinesis
    name: kin
    stream: customers
    region: eu-west-1
    endpoint: http://127.0.0.1:1
    auth: { kind: access-key, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: { keychain: kin/secret-access-key } }
`,
  });

  test('the destination wizard asks before its changes are lost, new or edited; not without changes (a type chosen is none)', async ({ app }) => {
    test.setTimeout(90_000);
    await ready(app);
    const seen = browserQuestions(app);
    await section(app, 'Syncs');
    await section(app, 'Destinations');

    // A type chosen, nothing typed: a section goes at once. An edit without changes: Cancel closes it.
    await app.getByRole('button', { name: 'New destination' }).click();
    const wizard = app.getByRole('region', { name: 'New destination' });
    await wizard.getByRole('radio', { name: /Kafka/ }).click();
    await expect(wizard.getByLabel('Brokers')).toBeVisible();
    await section(app, 'Models');
    await expect(app).toHaveURL(/#\/models$/);
    await section(app, 'Destinations');
    await app.getByRole('button', { name: 'Edit kin' }).click();
    const edit = app.getByRole('region', { name: 'Edit kin' });
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await expect(edit).toHaveCount(0);

    // A new destination with brokers typed: Cancel asks; Discard changes closes it.
    await app.getByRole('button', { name: 'New destination' }).click();
    await wizard.getByRole('radio', { name: /Kafka/ }).click();
    await wizard.getByLabel('Brokers').fill('localhost:9092');
    await wizard.getByRole('button', { name: 'Cancel' }).click();
    const askNew = asked(app, 'Discard this new destination?');
    await expect(askNew).toBeVisible();
    await shot(app, 'destination-unsaved-ask');
    await askNew.getByRole('button', { name: 'Discard changes' }).click();
    await expect(wizard).toHaveCount(0);

    // An edited region: every move asks, the region kept; Discard on a section goes there.
    await app.getByRole('button', { name: 'Edit kin' }).click();
    await edit.getByLabel('Region', { exact: true }).fill('eu-central-1');
    const ask = asked(app, 'Discard your changes to “kin”?');
    await everyMoveAsks(app, ask, /#\/destinations$/, edit, 'destination-edit-unsaved-ask');
    await expect(edit.getByLabel('Region', { exact: true })).toHaveValue('eu-central-1');
    await closingAsks(app, seen, edit);
    await section(app, 'Sources');
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(app).toHaveURL(/#\/sources$/);
    expect(seen).toEqual(['beforeunload']);
  });
});

test('the sync settings form asks before its changes are lost, a new sync or a sync’s Settings; not without changes', async ({ app }) => {
  test.setTimeout(90_000);
  await ready(app);
  const seen = browserQuestions(app);
  await section(app, 'Sources');
  await section(app, 'Syncs');
  const newSync = () => app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: 'New sync' }).click();

  // Nothing changed: Cancel and a section go at once.
  await newSync();
  const form = app.getByRole('form', { name: 'New sync' });
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toHaveCount(0);
  await app.getByRole('tab', { name: 'Settings' }).click();
  await section(app, 'Models');
  await expect(app).toHaveURL(/#\/models$/);
  await section(app, 'Syncs');

  // A new sync with a name typed: Cancel asks; Keep editing keeps it, Discard changes closes it.
  await newSync();
  await form.getByLabel('Sync name').fill('Customers again');
  await form.getByRole('button', { name: 'Cancel' }).click();
  const askNew = asked(app, 'Discard this new sync?');
  await expect(askNew).toBeVisible();
  await shot(app, 'sync-new-unsaved-ask');
  await askNew.getByRole('button', { name: 'Keep editing' }).click();
  await expect(form.getByLabel('Sync name')).toHaveValue('Customers again');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await askNew.getByRole('button', { name: 'Discard changes' }).click();
  await expect(form).toHaveCount(0);

  // A sync's Settings with a limit typed: every move asks, the limit kept; Discard on Back goes back.
  await app.getByRole('tab', { name: 'Settings' }).click();
  const settings = app.getByRole('form', { name: 'Sync settings' });
  await settings.getByLabel('Mass-removal limit (%)').fill('25');
  const ask = asked(app, 'Discard your changes to the settings of “Customers to sandbox”?');
  await everyMoveAsks(app, ask, /#\/syncs$/, settings, 'sync-settings-unsaved-ask');
  await expect(settings.getByLabel('Mass-removal limit (%)')).toHaveValue('25');
  await closingAsks(app, seen, settings);
  await app.goBack();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/models$/);
  expect(seen).toEqual(['beforeunload']);
});

test.describe('two syncs', () => {
  test.use({
    config: `version: 1
syncs:
  - name: Second sync
    model: Customers
    destination: Sandbox stream
    triggers: [added]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`,
  });

  test('another sync of the list, another tab, a run or a rename asks before the settings’ changes are lost; Keep editing stays, Discard goes', async ({
    app,
  }) => {
    test.setTimeout(90_000);
    await ready(app);
    await section(app, 'Sources');
    await section(app, 'Syncs');
    const pick = (name: string) =>
      app
        .getByLabel('Syncs', { exact: true })
        .getByRole('button', { name: new RegExp(`^${name}`) })
        .click();
    const tab = (name: string) => app.getByRole('tab', { name });
    const shown = (name: string) => app.getByRole('heading', { level: 2, name });
    const settings = app.getByRole('form', { name: 'Sync settings' });
    const limit = settings.getByLabel('Mass-removal limit (%)');
    const ask = asked(app, 'Discard your changes to the settings of “Customers to sandbox”?');

    // Nothing changed: another sync and another tab go at once.
    await pick('Customers to sandbox');
    await tab('Settings').click();
    await pick('Second sync');
    await expect(shown('Second sync')).toBeVisible();
    await pick('Customers to sandbox');
    await tab('Settings').click();
    await tab('Payload').click();
    await expect(tab('Payload')).toHaveAttribute('aria-selected', 'true');
    await tab('Settings').click();

    // A limit typed, then another sync: asked; Keep editing keeps the sync, its Settings and the limit.
    await limit.fill('25');
    await pick('Second sync');
    await expect(ask).toBeVisible();
    await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
    await shot(app, 'sync-settings-other-sync-ask');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(ask).toHaveCount(0);
    await expect(shown('Customers to sandbox')).toBeVisible();
    await expect(tab('Settings')).toHaveAttribute('aria-selected', 'true');
    await expect(limit).toHaveValue('25');

    // Another tab asks alike; Keep editing stays on Settings, Discard opens the tab clicked (the limit as saved).
    await tab('Runs').click();
    await expect(ask).toBeVisible();
    await shot(app, 'sync-settings-other-tab-ask');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(tab('Settings')).toHaveAttribute('aria-selected', 'true');
    await expect(limit).toHaveValue('25');
    await tab('Payload').click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(tab('Payload')).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
    await tab('Settings').click();
    await expect(limit).toHaveValue('');

    // Discard on another sync shows it.
    await limit.fill('30');
    await pick('Second sync');
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(shown('Second sync')).toBeVisible();
    await pick('Customers to sandbox');
    await tab('Settings').click();
    await expect(limit).toHaveValue('');

    // Run now opens the Runs tab, New sync the new one's form: asked first; Keep editing starts nothing.
    await limit.fill('40');
    await app.getByRole('button', { name: 'Run now' }).click();
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(limit).toHaveValue('40');
    await app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: 'New sync' }).click();
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(limit).toHaveValue('40');
    await tab('Runs').click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(app.getByText('This sync has not run yet')).toBeVisible();

    // A new sync's name typed: a sync of the list asks too.
    await app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: 'New sync' }).click();
    const form = app.getByRole('form', { name: 'New sync' });
    await form.getByLabel('Sync name').fill('Customers again');
    await pick('Second sync');
    const askNew = asked(app, 'Discard this new sync?');
    await expect(askNew).toBeVisible();
    await askNew.getByRole('button', { name: 'Keep editing' }).click();
    await expect(form.getByLabel('Sync name')).toHaveValue('Customers again');
    await pick('Second sync');
    await askNew.getByRole('button', { name: 'Discard changes' }).click();
    await expect(form).toHaveCount(0);
    await expect(shown('Second sync')).toBeVisible();

    // Rename shows the sync anew: asked first. Discard puts the saved settings back, so a name refused leaves them as saved.
    await tab('Settings').click();
    const askSecond = asked(app, 'Discard your changes to the settings of “Second sync”?');
    const rename = app.getByRole('button', { name: 'Rename', exact: true });
    await limit.fill('50');
    await app.getByLabel('New name').fill('Customers to sandbox');
    await rename.click();
    await expect(askSecond).toBeVisible();
    await askSecond.getByRole('button', { name: 'Keep editing' }).click();
    await expect(limit).toHaveValue('50');
    await rename.click();
    await askSecond.getByRole('button', { name: 'Discard changes' }).click();
    await expect(app.getByRole('alert').filter({ hasText: 'A sync named "Customers to sandbox" already exists' })).toBeVisible();
    await expect(limit).toHaveValue('');
    await app.getByLabel('New name').fill('Second sync renamed');
    await rename.click();
    await expect(shown('Second sync renamed')).toBeVisible();
    await expect(askSecond).toHaveCount(0);
  });

  test('a name typed to rename a sync asks before another sync, tab or section; with the settings changed too, each asks in turn', async ({ app }) => {
    test.setTimeout(90_000);
    await ready(app);
    await section(app, 'Sources');
    await section(app, 'Syncs');
    const list = app.getByLabel('Syncs', { exact: true });
    const pick = (name: string) => list.getByRole('button', { name: new RegExp(`^${name}`) }).click();
    const tab = (name: string) => app.getByRole('tab', { name });
    const shown = (name: string) => app.getByRole('heading', { level: 2, name });
    const newName = app.getByLabel('New name');
    const ask = asked(app, 'Discard the new name of the sync “Customers to sandbox”?');

    // The name it has typed again: another sync goes at once.
    await pick('Customers to sandbox');
    await tab('Settings').click();
    await newName.fill('Customers to sandbox ');
    await pick('Second sync');
    await expect(shown('Second sync')).toBeVisible();
    await pick('Customers to sandbox');
    await tab('Settings').click();

    // A new name typed: another sync asks, Keep editing keeps it; another tab asks, Discard opens it.
    await newName.fill('Customers renamed');
    await pick('Second sync');
    await expect(ask).toBeVisible();
    await shot(app, 'rename-sync-unsaved-ask');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(shown('Customers to sandbox')).toBeVisible();
    await expect(newName).toHaveValue('Customers renamed');
    await section(app, 'Debugger');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(app).toHaveURL(/#\/syncs$/);
    await tab('Runs').click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(tab('Runs')).toHaveAttribute('aria-selected', 'true');
    await tab('Settings').click();
    await expect(newName).toHaveValue('Customers to sandbox');

    // A limit and a name typed: another sync asks of the name, then of the settings; both discarded, it goes.
    await app.getByRole('form', { name: 'Sync settings' }).getByLabel('Mass-removal limit (%)').fill('25');
    await newName.fill('Customers renamed');
    await pick('Second sync');
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    const askSettings = asked(app, 'Discard your changes to the settings of “Customers to sandbox”?');
    await askSettings.getByRole('button', { name: 'Discard changes' }).click();
    await expect(shown('Second sync')).toBeVisible();
  });

  test('a move made at once after a keystroke in the payload editor asks too (before the page has shown the keystroke)', async ({ app }) => {
    test.setTimeout(90_000);
    await ready(app);
    await section(app, 'Sources');
    await section(app, 'Syncs');
    const list = app.getByLabel('Syncs', { exact: true });
    const lines = app.getByTestId('template-editor').locator('.view-lines');
    const ask = asked(app, 'Discard your changes to the payload of “Customers to sandbox”?');
    const openPayload = async () => {
      await list.getByRole('button', { name: /^Customers to sandbox/ }).click();
      await app.getByRole('tab', { name: 'Payload' }).click();
      await lines.click();
      await app.keyboard.press('Control+End');
    };

    // Another sync at once: asked; Discard shows it, and the payload is as saved.
    await openPayload();
    await typeThenClickAtOnce(app, 'ZZ', list.getByRole('button', { name: /^Second sync/ }));
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await expect(app.getByRole('heading', { level: 2, name: 'Second sync' })).toBeVisible();
    await openPayload();
    await expect(lines).not.toContainText('ZZ');

    // A section at once: asked; Keep editing keeps the keystroke.
    await typeThenClickAtOnce(app, 'ZZ', app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Debugger' }));
    await expect(ask).toBeVisible();
    await shot(app, 'payload-typed-at-once-ask');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(app).toHaveURL(/#\/syncs$/);
    await expect(lines).toContainText('ZZ');
    await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  });
});

test('the payload editor asks before its changes are lost; Discard changes reverts them; not without changes', async ({ app }) => {
  test.setTimeout(90_000);
  await ready(app);
  const seen = browserQuestions(app);
  await section(app, 'Sources');
  await section(app, 'Syncs');
  const openPayload = async () => {
    await app.getByRole('tab', { name: 'Payload' }).click();
    await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
  };
  const lines = app.getByTestId('template-editor').locator('.view-lines');

  // Nothing changed: a section goes at once.
  await openPayload();
  await section(app, 'Models');
  await expect(app).toHaveURL(/#\/models$/);
  await section(app, 'Syncs');

  // A change: every move asks, the text kept; Discard on a section goes there, and the payload is as saved.
  await openPayload();
  await lines.click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type(' ');
  await app.keyboard.insertText('{% comment %}draft{% endcomment %}');
  await expect(lines).toContainText('draft');
  const ask = asked(app, 'Discard your changes to the payload of “Customers to sandbox”?');
  await everyMoveAsks(app, ask, /#\/syncs$/, lines, 'payload-unsaved-ask');
  await expect(lines).toContainText('draft');
  // Another tab of the sync asks alike (its message properties lived in the tab alone).
  await app.getByRole('tab', { name: 'Runs' }).click();
  await expect(ask).toBeVisible();
  await shot(app, 'payload-other-tab-ask');
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(app.getByRole('tab', { name: 'Payload' })).toHaveAttribute('aria-selected', 'true');
  await expect(lines).toContainText('draft');
  // Reloading (or closing) asks nothing: the draft is kept in the browser's storage, and is there after it.
  await app.reload();
  await ready(app);
  await openPayload();
  await expect(lines).toContainText('draft');
  await section(app, 'Sources');
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/sources$/);
  await section(app, 'Syncs');
  await openPayload();
  await expect(lines).not.toContainText('draft');
  await expect(app.getByTestId('unsaved-mark')).toHaveCount(0);
  expect(seen).toEqual([]);
});
