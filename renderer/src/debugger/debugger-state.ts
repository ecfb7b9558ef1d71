import type { ApiCallFacets, ApiCallFilter } from '../../../shared/debugger/api-call';
import { fmt } from '../../../shared/format/format';

/** The filter with the search text as typed (trimmed; none when blank); the same filter when that changes nothing. */
export function withSearchText(filter: ApiCallFilter, text: string): ApiCallFilter {
  const wanted = text.trim() || undefined;
  return filter.text === wanted ? filter : { ...filter, text: wanted };
}

/** A remembered width in px, or null (none, or not a positive number). */
export function parseWidth(saved: string | null): number | null {
  const n = Number(saved);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export interface Option {
  value: string;
  label: string;
}

/** Names as menu options, shown as they are. */
export const nameOptions = (xs: readonly string[] | undefined): Option[] => (xs ?? []).map((x) => ({ value: x, label: x }));

/** The runs that made calls, for the Run menu: "Run 7 (12 calls)". */
export const runOptions = (facets: ApiCallFacets | null): Option[] =>
  (facets?.runs ?? []).map((r) => ({ value: String(r.runId), label: `Run ${r.runId} (${fmt.count(r.calls, 'call')})` }));

/** The file a run's calls are exported to, by format. */
export const EXPORT_TYPE = { ndjson: 'application/x-ndjson', har: 'application/json' } as const;
