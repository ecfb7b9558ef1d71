import { useEffect, useState } from 'react';
import { numberColumns } from '../../../../shared/config/number-columns';
import type { Column } from '../../../../shared/config/source';
import type { SluiceApi } from '../../../../shared/ipc/contract';
import { useModels, useSources } from '../../api/queries';
import { setCompletionColumns } from '../../editor/completion-columns';

/** The model's columns as last read: of which model, none when it could not be read. */
type Read = { model: string; columns: Column[] | null };

/**
 * The model's columns (the pickers' choices and the template's completion), and those that hold numbers
 * (`numberColumns`, by the types the model's source reports, as a run decides): the template made from
 * a mapping writes their values as the mapping does. Undefined until the columns and the model's source
 * are known; none when the model cannot be read (its error is shown).
 */
export function useModelColumns(
  api: SluiceApi,
  model: string,
  setError: (error: unknown) => void,
): { columns: Column[]; numberColumns: readonly string[] | undefined } {
  const [read, setRead] = useState<Read | null>(null);
  useEffect(() => {
    api.previewModel({ model, limit: 1 }).then(
      (p) => {
        setRead({ model, columns: p.columns });
        setCompletionColumns(p.columns);
      },
      (err: unknown) => {
        setRead({ model, columns: null });
        setError(err);
      },
    );
  }, [api, model, setError]);
  const source = useModels().data?.find((m) => m.name === model)?.source;
  const kind = useSources().data?.find((s) => s.name === source)?.kind;
  // The pickers keep the columns they have while another model's are read.
  const columns = read?.columns ?? [];
  if (read?.model !== model) return { columns, numberColumns: undefined };
  if (read.columns === null) return { columns, numberColumns: [] };
  return { columns, numberColumns: kind ? numberColumns(kind, read.columns) : undefined };
}
