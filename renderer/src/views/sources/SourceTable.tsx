import type { Model, Source } from '../../../../shared/config/source';
import { usersOf } from '../../components/catalog-text';
import { TableScroll } from '../../components/TableScroll';
import { kindLabel, whereOf } from './source-form';

/** The sources, each with the models that read it and its actions (Test, Edit, Rename, Delete). */
export function SourceTable({
  sources,
  models,
  jumped,
  testing,
  onTest,
  onEdit,
  onRename,
  onDelete,
}: {
  sources: readonly Source[];
  models: readonly Model[];
  /** The row the palette jumped to. */
  jumped: string | null;
  /** The source being tested, if one is. */
  testing: string | null;
  onTest: (source: Source) => void;
  onEdit: (source: Source) => void;
  onRename: (source: Source) => void;
  onDelete: (source: Source) => void;
}) {
  return (
    <TableScroll label="Sources">
      <table className="table" aria-label="Sources">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Where</th>
            <th>Models</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => {
            const users = usersOf(models, 'source', s.name);
            return (
              <tr
                key={s.name}
                data-row-name={s.name}
                className={jumped === s.name ? 'selected' : undefined}
                aria-current={jumped === s.name ? 'true' : undefined}
              >
                <td className="wrap-anywhere">{s.name}</td>
                <td>{kindLabel(s.kind)}</td>
                <td className="muted wrap-anywhere">
                  <code>{whereOf(s)}</code>
                </td>
                <td className="muted wrap-anywhere">{users.length ? users.join(', ') : '—'}</td>
                <td className="actions">
                  <div className="row nowrap">
                    <button type="button" className="ghost" disabled={testing !== null} aria-label={`Test ${s.name}`} onClick={() => onTest(s)}>
                      {testing === s.name ? 'Testing…' : 'Test'}
                    </button>
                    <button type="button" className="ghost" aria-label={`Edit ${s.name}`} onClick={() => onEdit(s)}>
                      Edit
                    </button>
                    <button type="button" className="ghost" aria-label={`Rename ${s.name}`} onClick={() => onRename(s)}>
                      Rename
                    </button>
                    <button type="button" className="ghost" aria-label={`Delete ${s.name}`} onClick={() => onDelete(s)}>
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
