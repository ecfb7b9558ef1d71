import { useDeferredValue, useMemo } from 'react';
import type { PayloadPreview, PayloadPreviewRequest } from '../../../../shared/config/payload-preview';
import type { Column } from '../../../../shared/config/source';
import type { Payload } from '../../../../shared/config/sync';
import type { SluiceApi } from '../../../../shared/ipc/contract';
import { diagnoseTemplate, explainSyntaxError, type TemplateDiagnostic } from '../../../../shared/payload/template-diagnostics';
import { useOutputDiagnostics } from './useOutputDiagnostics';

interface Input {
  mode: Payload['mode'];
  template: string;
  columns: Column[];
  /** The preview of this very payload, once answered. */
  fresh: PayloadPreview | null;
  request: { model: string; sync: string; rows: PayloadPreviewRequest['rows']; event: PayloadPreviewRequest['event'] };
}

/**
 * What is wrong with the template: its syntax and unknown variables at once, as you type; output that
 * is not JSON once the preview has rendered the rows.
 */
export function useTemplateDiagnostics(api: SluiceApi, { mode, template, columns, fresh, request }: Input) {
  const columnNames = useMemo(() => columns.map((c) => c.name), [columns]);
  // Checked a moment behind the typing when keys come fast: the editor never waits for the check.
  const checked = useDeferredValue(template);
  const local = useMemo(() => (mode === 'template' ? diagnoseTemplate(checked, columnNames) : { syntax: null, warnings: [] }), [mode, checked, columnNames]);
  const engineSyntax = fresh?.problems.find((p) => p.where === 'payload template');
  const syntax =
    local.syntax ?? (engineSyntax && mode === 'template' ? explainSyntaxError(template, engineSyntax.message, engineSyntax.line, engineSyntax.column) : null);
  const outputErrors = useOutputDiagnostics(api, mode === 'template' && !syntax ? template : null, fresh, request);
  const diagnostics = useMemo<TemplateDiagnostic[]>(
    () => (mode !== 'template' ? [] : syntax ? [syntax] : [...outputErrors, ...local.warnings]),
    [mode, syntax, outputErrors, local.warnings],
  );
  return { syntax, diagnostics };
}
