import { INSPECT_SHOWN_BYTES, type RecordData } from '../../../shared/config/inspector';
import { fmt } from '../../../shared/format/format';

const PREVIEW_CHARS = 160;

/** A record's bytes: one line of text (or base64), with the pretty JSON behind a disclosure. */
export function RecordDataCell({ data, testId }: { data: RecordData | null; testId?: string }) {
  if (data === null)
    return (
      <span className="muted" data-testid={testId}>
        null (tombstone)
      </span>
    );
  const cut = data.truncated ? ` (only the first ${fmt.bytes(INSPECT_SHOWN_BYTES)} of ${fmt.bytes(data.bytes)} are shown)` : '';
  if (data.text === null) {
    return (
      <span className="mono record-text" data-testid={testId} title={`${fmt.count(data.bytes, 'byte')}, not UTF-8${cut}`}>
        base64:{data.base64}
        {cut && '…'}
      </span>
    );
  }
  const line = data.text.length > PREVIEW_CHARS || data.truncated ? `${data.text.slice(0, PREVIEW_CHARS)}…` : data.text;
  if (data.prettyJson === null)
    return (
      <span className="mono record-text" data-testid={testId} title={`${line}${cut}`}>
        {line}
      </span>
    );
  return (
    <details className="record-data" data-testid={testId}>
      <summary className="mono">{line}</summary>
      <pre className="code" aria-label="Pretty JSON">
        {data.prettyJson}
      </pre>
    </details>
  );
}
