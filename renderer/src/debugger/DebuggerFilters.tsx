import { API_CALL_CONTEXTS, API_CALL_SEARCH_MAX, type ApiCallContext, type ApiCallFacets, type ApiCallFilter } from '../../../shared/debugger/api-call';
import { nameOptions, runOptions, type Option } from './debugger-state';

function Select({ label, value, options, onChange }: { label: string; value: string | undefined; options: Option[]; onChange(v: string | undefined): void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The filter menus (from the values in the store), Errors only, and the search box. */
export function DebuggerFilters({
  filter,
  facets,
  onFilter,
  text,
  onText,
}: {
  filter: ApiCallFilter;
  facets: ApiCallFacets | null;
  onFilter(patch: Partial<ApiCallFilter>): void;
  text: string;
  onText(text: string): void;
}) {
  return (
    <div className="debugger-filters row" data-testid="debugger-filters">
      <Select
        label="Run"
        value={filter.runId === undefined ? undefined : String(filter.runId)}
        options={runOptions(facets)}
        onChange={(v) => onFilter({ runId: v === undefined ? undefined : Number(v) })}
      />
      <Select
        label="Context"
        value={filter.context}
        options={API_CALL_CONTEXTS.map((c) => ({ value: c, label: c }))}
        onChange={(v) => onFilter({ context: v as ApiCallContext | undefined })}
      />
      <Select label="Destination" value={filter.destination} options={nameOptions(facets?.destinations)} onChange={(v) => onFilter({ destination: v })} />
      <Select label="Service" value={filter.service} options={nameOptions(facets?.services)} onChange={(v) => onFilter({ service: v })} />
      <Select label="Operation" value={filter.operation} options={nameOptions(facets?.operations)} onChange={(v) => onFilter({ operation: v })} />
      <Select label="Status" value={filter.status} options={nameOptions(facets?.statuses)} onChange={(v) => onFilter({ status: v })} />
      <label className="check">
        <input
          type="checkbox"
          aria-label="Errors only"
          checked={filter.errorsOnly ?? false}
          onChange={(e) => onFilter({ errorsOnly: e.target.checked || undefined })}
        />
        Errors only
      </label>
      <label className="field grow">
        <span>Search</span>
        <input
          type="search"
          aria-label="Search calls"
          placeholder="operation, error, request id, data…"
          maxLength={API_CALL_SEARCH_MAX}
          value={text}
          onChange={(e) => onText(e.target.value)}
        />
      </label>
    </div>
  );
}

/** Follow new calls, and the export of the chosen run's calls. */
export function DebuggerBar({
  follow,
  onFollow,
  runId,
  onExport,
}: {
  follow: boolean;
  onFollow(on: boolean): void;
  runId: number | undefined;
  onExport(format: 'ndjson' | 'har'): void;
}) {
  const title = runId === undefined ? 'Choose a run to export its calls' : undefined;
  return (
    <div className="debugger-bar row small">
      <label className="check">
        <input type="checkbox" aria-label="Follow new calls" checked={follow} onChange={(e) => onFollow(e.target.checked)} />
        Follow new calls
      </label>
      <button type="button" disabled={runId === undefined} onClick={() => onExport('ndjson')} title={title}>
        Export NDJSON
      </button>
      <button type="button" disabled={runId === undefined} onClick={() => onExport('har')} title={title}>
        Export HAR
      </button>
    </div>
  );
}
