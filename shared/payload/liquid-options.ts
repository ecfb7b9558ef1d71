/**
 * The Liquid options every template of Sluice is parsed and rendered with (the engine, the render
 * threads, the editor's diagnostics), so a template behaves the same everywhere. A payload template
 * is data, often shared in a sluice.yaml: it may not read files (`include`, `render` and `layout`
 * look only in an empty in-memory mapping, never on the disk), and a template that would run for
 * ever or fill the memory stops with an error instead of freezing the app.
 */
export const LIQUID_OPTIONS = {
  strictFilters: true,
  ownPropertyOnly: true,
  greedy: false,
  /** No file system: `{% include "…" %}` finds nothing. */
  templates: {} as Record<string, string>,
  /** Characters of template text parsed in one parse (1 M). */
  parseLimit: 1_000_000,
  /** Milliseconds one render may take (a row, or a preview row). */
  renderLimit: 1_000,
  /** Memory (liquidjs' count of created strings and arrays, about bytes) one render may use (64 M). */
  memoryLimit: 64_000_000,
} as const;
