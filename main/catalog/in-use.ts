import { SluiceError } from '../../shared/ipc/errors';

/** Names in double quotes, comma-separated: "a", "b". */
export const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * The refusal to delete a source or model that others still use, naming them: e.g. The source "db"
 * cannot be deleted: the model "people" reads it. Delete it or point it at another source first.
 */
export function stillInUse(
  what: { kind: 'source' | 'model'; name: string },
  users: { kind: 'model' | 'sync'; names: string[]; verb: 'read' | 'send' },
): SluiceError {
  const many = users.names.length > 1;
  return new SluiceError(
    'conflict',
    `The ${what.kind} "${what.name}" cannot be deleted: the ${users.kind}${many ? 's' : ''} ${quoted(users.names)} ${users.verb}${many ? '' : 's'} it. Delete ${many ? 'them' : 'it'} or point ${many ? 'them' : 'it'} at another ${what.kind} first.`,
  );
}
