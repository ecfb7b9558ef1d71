import { inUseWords } from '../../shared/config/in-use';
import { SluiceError } from '../../shared/ipc/errors';

export { quoted } from '../../shared/config/in-use';

/**
 * The refusal to delete a source, model or destination that others still use, naming them: e.g. The source "db"
 * cannot be deleted: the model "people" reads it. Delete it or point it at another source first.
 */
export function stillInUse(what: { kind: 'source' | 'model' | 'destination'; name: string }, users: { kind: 'model' | 'sync'; names: string[] }): SluiceError {
  return new SluiceError('conflict', inUseWords(what, users));
}
