import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, ready, shot } from './fixtures';

// A walk through every view of the app (issue 15, items 5 and 9), shared by e2e/desk-check.spec.ts (which
// asserts that nothing overflows and that axe-core finds no serious issue) and `npm run shots` (which keeps
// a PNG of each step for a person to look at).

export const SIZES = [
  { width: 1400, height: 900 },
  { width: 1024, height: 700 },
] as const;
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface DeskView {
  /** A file-name-safe name: the PNG is `<size>-<theme>-<name>.png`. */
  name: string;
  /** Brings the app from any view to this one and waits until it shows its content. */
  open(app: Page): Promise<void>;
}

const nav = (app: Page, name: string) => app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

async function openSync(app: Page, tab: 'Runs' | 'Payload' | 'Settings'): Promise<void> {
  await nav(app, 'Syncs');
  await app.getByRole('tab', { name: tab }).click();
  await expect(app.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
}

/** Every view of a workspace with the demo whose sync has run once (see `prepareDesk`), in the order walked. */
export const DESK_VIEWS: DeskView[] = [
  {
    name: 'sources',
    open: async (app) => {
      await nav(app, 'Sources');
      await expect(app.getByRole('table', { name: 'Sources' })).toBeVisible();
    },
  },
  {
    name: 'source-new',
    open: async (app) => {
      await nav(app, 'Sources');
      await app.getByRole('button', { name: 'Add a source' }).click();
      await expect(app.getByRole('region', { name: 'New source' })).toBeVisible();
    },
  },
  {
    name: 'models',
    open: async (app) => {
      await nav(app, 'Models');
      await expect(app.getByRole('heading', { name: 'Customers', level: 2 })).toBeVisible();
    },
  },
  {
    name: 'model-edit',
    open: async (app) => {
      await nav(app, 'Models');
      await app.getByRole('button', { name: 'Edit Customers' }).click();
      const editor = app.getByRole('region', { name: 'Edit Customers' });
      await expect(editor.locator('.monaco-editor').first()).toBeVisible();
      await editor.getByRole('button', { name: 'Preview' }).click();
      await expect(editor.getByRole('table')).toBeVisible();
    },
  },
  {
    name: 'destinations',
    open: async (app) => {
      await nav(app, 'Destinations');
      await expect(app.getByRole('table', { name: 'Destinations' })).toContainText('Sandbox stream');
    },
  },
  {
    name: 'destination-new',
    open: async (app) => {
      await nav(app, 'Destinations');
      await app.getByRole('button', { name: 'New destination' }).click();
      const wizard = app.getByRole('region', { name: 'New destination' });
      await wizard.getByRole('radio', { name: /Kafka/ }).click();
      await expect(wizard.getByLabel('Name', { exact: true })).toBeVisible();
    },
  },
  {
    name: 'sync-runs',
    open: async (app) => {
      await openSync(app, 'Runs');
      await app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1).click();
      await expect(app.getByRole('table', { name: 'Records' }).getByRole('row').nth(1)).toBeVisible();
    },
  },
  {
    name: 'payload-editor',
    open: async (app) => {
      await openSync(app, 'Payload');
      await expect(app.locator('.monaco-editor').first()).toBeVisible();
      await expect(app.getByTestId('preview-item').first()).toBeVisible();
    },
  },
  {
    name: 'sync-settings',
    open: async (app) => {
      await openSync(app, 'Settings');
      await expect(app.getByRole('button', { name: 'Save settings' })).toBeVisible();
    },
  },
  {
    name: 'debugger',
    open: async (app) => {
      await nav(app, 'Debugger');
      await app.getByTestId('api-call-row').first().click();
      await expect(app.getByTestId('api-call-detail').getByTestId('api-call-request')).toBeVisible();
    },
  },
  {
    name: 'inspector',
    open: async (app) => {
      await nav(app, 'Inspector');
      await app.getByLabel('Limit').fill('20');
      await app.getByRole('button', { name: 'Read records' }).click();
      await expect(app.getByRole('table', { name: 'Stream records' }).getByTestId('inspector-record')).toHaveCount(20);
    },
  },
  {
    name: 'settings',
    open: async (app) => {
      await nav(app, 'Settings');
      await expect(app.getByRole('table', { name: 'Saved secrets' }).or(app.getByLabel('Secret name'))).toBeVisible();
    },
  },
];

/** The demo workspace with its sync run once, so runs, records, API calls and stream records exist. */
export async function prepareDesk(app: Page): Promise<void> {
  await ready(app);
  await nav(app, 'Syncs');
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 60_000 });
}

/** Sets the window size and the colour scheme (the app's theme is "system" unless Settings say otherwise). */
export async function look(app: Page, size: { width: number; height: number }, theme: Theme): Promise<void> {
  await app.setViewportSize(size);
  await app.emulateMedia({ colorScheme: theme });
}

/**
 * Boxes whose content is wider than the box, as "tag.class ‹label›: child ‹…› ends N px past its right edge".
 * Boxes that are meant to scroll sideways (overflow-x auto or scroll: a table's scroll wrapper, a code block)
 * may, except the page itself and its main area; an ellipsis is a deliberate cut; Monaco's internals are its
 * own. A box is named where a direct child (element or text) sticks out of it, not at every ancestor. A
 * button whose label wraps onto a second line is named too.
 */
export async function overflowing(app: Page): Promise<string[]> {
  return app.evaluate(() => {
    const pageBoxes = new Set<Element>([document.documentElement, document.body, ...document.querySelectorAll('main.content, #root, .shell')]);
    const describe = (el: Element) => {
      const name = `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
      const label = el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
      return `${name} ‹${label}›`;
    };
    const found: string[] = [];
    for (const el of [document.documentElement, ...document.querySelectorAll('body, body *')]) {
      if (el.closest('.monaco-editor, .monaco-aria-container')) continue;
      if (el instanceof SVGElement) continue;
      if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (scrolls && !pageBoxes.has(el)) continue;
      if (style.overflowX === 'hidden' && style.textOverflow === 'ellipsis') continue;
      const box = el.getBoundingClientRect();
      const right = box.left + el.clientLeft + el.clientWidth + 1;
      for (const child of el.childNodes) {
        let childRight: number;
        if (child instanceof Element) childRight = child.getBoundingClientRect().right;
        else if (child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim() !== '') {
          const range = document.createRange();
          range.selectNodeContents(child);
          childRight = range.getBoundingClientRect().right;
        } else continue;
        if (childRight > right) {
          const what = child instanceof Element ? describe(child) : `text ‹${(child.textContent ?? '').trim().slice(0, 40)}›`;
          found.push(`${describe(el)}: ${what} ends ${Math.round(childRight - right)} px past its right edge`);
          break;
        }
      }
    }
    // A button's label on one line: a label broken over two lines makes a row of buttons uneven.
    for (const el of document.querySelectorAll('button, a.button, [role="tab"]')) {
      if (el.closest('.monaco-editor') || el.children.length > 0 || (el.textContent ?? '').trim() === '') continue;
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) found.push(`${describe(el)}: its label wraps onto ${lines.size} lines`);
    }
    return found;
  });
}

/**
 * What a mouse can click but the keyboard cannot reach: the outermost elements with a pointer cursor that
 * are not focusable (Tab), hold nothing focusable, and are not the label of a control.
 */
export async function unreachableByKeyboard(app: Page): Promise<string[]> {
  return app.evaluate(() => {
    const focusable =
      'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('.monaco-editor, .monaco-aria-container')) continue;
      if (getComputedStyle(el).cursor !== 'pointer') continue;
      const parent = el.parentElement;
      if (parent && getComputedStyle(parent).cursor === 'pointer') continue;
      if ((el as HTMLButtonElement).disabled) continue;
      if (el.matches(focusable) || el.querySelector(focusable) || el.closest('label')) continue;
      const name = `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
      found.push(`${name} ‹${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 50)}›`);
    }
    return found;
  });
}

/** axe-core's serious and critical violations, as "rule (impact): what, at which elements". */
export async function seriousAxeViolations(app: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page: app }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`).join('; ')}`,
    );
}

/**
 * `<name>.png` in $SLUICE_SHOTS_DIR as the window shows it, and, when the page is taller than the window,
 * `<name>-full.png` with all of it (the main area unrolled for the picture, then put back).
 */
export async function deskShot(app: Page, name: string): Promise<void> {
  const dir = process.env.SLUICE_SHOTS_DIR;
  if (!dir) return;
  await shot(app, name);
  const content = app.locator('main.content');
  if (!(await content.evaluate((el) => el.scrollHeight > el.clientHeight + 1))) return;
  const unrolled = await app.addStyleTag({ content: '.shell { height: auto !important; } main.content { overflow: visible !important; }' });
  await app.screenshot({ path: path.join(dir, `${name}-full.png`), fullPage: true });
  await unrolled.evaluate((el) => el.parentNode?.removeChild(el));
}
