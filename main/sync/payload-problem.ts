import type { Payload } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { mappingProblem } from './mapping-payload';

/**
 * Refuses a payload no row can be sent with: a mapping whose keys would lose values (`mappingProblem`), or a template
 * of nothing but spaces and line breaks (`sluice apply` took it, and every row of its runs was refused as "not valid
 * JSON", where the app's payload editor says the template is empty).
 */
export function payloadProblem(payload: Payload): void {
  if (payload.mode === 'mapping') mappingProblem(payload.fields);
  if (payload.mode === 'template' && payload.template.trim() === '')
    throw new SluiceError('invalid-input', 'The template is empty: write the JSON each row is sent as', [
      { path: 'payload.template', message: 'The template is empty' },
    ]);
}
