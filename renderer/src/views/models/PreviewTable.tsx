import type { ModelPreview } from '../../../../shared/config/source';
import { fmt } from '../../../../shared/format/format';
import { TableScroll } from '../../components/TableScroll';

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A model's first rows, with column types and the primary-key columns marked. */
export function PreviewTable({ preview, primaryKey }: { preview: ModelPreview; primaryKey: string[] }) {
  return (
    <>
      <TableScroll label="Preview">
        <table className="table" aria-label="Preview">
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th key={c.name}>
                  {c.name}
                  {primaryKey.includes(c.name) && (
                    <span className="badge pk" title="primary key">
                      key
                    </span>
                  )}
                  <div className="muted type">{c.type}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>
                {preview.columns.map((c) => (
                  <td key={c.name} className={row[c.name] === null ? 'null' : undefined}>
                    {cell(row[c.name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="muted">{preview.truncated ? `First ${fmt.count(preview.rows.length, 'row')}` : fmt.count(preview.rows.length, 'row')}</p>
    </>
  );
}
