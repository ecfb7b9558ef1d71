import { useEffect, useState } from 'react';
import type { PayloadPreview, PayloadPreviewRequest } from '../../../../shared/config/payload-preview';
import { locateOutputError, outputProbe, probeParts, type TemplateDiagnostic } from '../../../../shared/payload/template-diagnostics';
import type { SluiceApi } from '../../../../shared/ipc/contract';

/** The engine's words for a row whose template output is not JSON (main/sync/payload-renderer.ts). */
const NOT_JSON = 'The template output is not valid JSON';

interface Request {
  model: string;
  sync: string;
  rows: PayloadPreviewRequest['rows'];
  event: PayloadPreviewRequest['event'];
}

/**
 * Where in the template each previewed row's output stops being JSON. When the preview has such rows,
 * the engine renders the same rows through the template's probe (each top-level part's output kept
 * apart), and the first JSON error of each row is traced back to the text, output tag or block that
 * wrote it. One diagnostic per place in the template, for the first row that shows it.
 */
export function useOutputDiagnostics(api: SluiceApi, template: string | null, preview: PayloadPreview | null, request: Request): TemplateDiagnostic[] {
  const [found, setFound] = useState<{ template: string; preview: PayloadPreview; diagnostics: TemplateDiagnostic[] } | null>(null);
  const needed = template !== null && preview !== null && preview.items.some((i) => i.error?.startsWith(NOT_JSON));
  const { model, sync, rows, event } = request;
  const rowsKey = JSON.stringify(rows);

  useEffect(() => {
    if (!needed || template === null || preview === null) return;
    const probe = outputProbe(template);
    if (!probe) return;
    let current = true;
    api
      .previewPayload({ model, sync, payload: { mode: 'template', template: probe.probe }, rows: JSON.parse(rowsKey) as Request['rows'], event })
      .then((answer) => {
        if (!current) return;
        const diagnostics: TemplateDiagnostic[] = [];
        for (const item of answer.items) {
          const parts = probeParts(item.data, probe.segments.length);
          const d = parts && locateOutputError(template, probe.segments, parts, item.key);
          if (d && !diagnostics.some((x) => x.line === d.line && x.column === d.column)) diagnostics.push(d);
        }
        setFound({ template, preview, diagnostics });
      })
      .catch(() => {
        // The rows' own errors still show in the preview; only their place in the template is unknown.
      });
    return () => {
      current = false;
    };
  }, [api, needed, template, preview, model, sync, rowsKey, event]);

  return needed && found?.template === template && found.preview === preview ? found.diagnostics : [];
}
