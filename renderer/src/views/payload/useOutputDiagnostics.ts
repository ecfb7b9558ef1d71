import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { PayloadPreview, PayloadPreviewRequest } from '../../../../shared/config/payload-preview';
import { locateOutputError, outputProbe, probeParts, type TemplateDiagnostic } from '../../../../shared/payload/template-diagnostics';
import type { SluiceApi } from '../../../../shared/ipc/contract';
import { queryKeys } from '../../api/queries';

/** The engine's words for a row whose template output is not JSON (main/sync/payload-renderer.ts). */
const NOT_JSON = 'The template output is not valid JSON';
const NONE: TemplateDiagnostic[] = [];

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
  const needed = template !== null && preview !== null && preview.items.some((i) => i.error?.startsWith(NOT_JSON));
  const probe = useMemo(() => (needed && template !== null ? outputProbe(template) : null), [needed, template]);
  // The rows this preview showed, and which of them failed: a new preview of other rows asks again.
  const shown = JSON.stringify(preview?.items.map((i) => [i.key, i.error ?? null]) ?? null);
  const located = useQuery({
    queryKey: queryKeys.outputDiagnostics(JSON.stringify([request, template, shown])),
    queryFn: async () => {
      const answer = await api.previewPayload({ ...request, payload: { mode: 'template', template: probe!.probe } });
      const diagnostics: TemplateDiagnostic[] = [];
      for (const item of answer.items) {
        const parts = probeParts(item.data, probe!.segments.length);
        const d = parts && locateOutputError(template!, probe!.segments, parts, item.key);
        if (d && !diagnostics.some((x) => x.line === d.line && x.column === d.column)) diagnostics.push(d);
      }
      return diagnostics;
    },
    enabled: probe !== null,
  });
  // On an error the rows' own errors still show in the preview; only their place in the template is unknown.
  return needed && located.data ? located.data : NONE;
}
