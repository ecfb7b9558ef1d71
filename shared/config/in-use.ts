/** Names in double quotes, comma-separated: "a", "b". */
export const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * Why a source, model or destination that others still use cannot be deleted, naming them: e.g. The source
 * "db" cannot be deleted: the model "people" reads it. Delete it or point it at another source first. The
 * engine refuses with it; the app says it instead of asking to delete.
 */
export function inUseWords(what: { kind: 'source' | 'model' | 'destination'; name: string }, users: { kind: 'model' | 'sync'; names: string[] }): string {
  const many = users.names.length > 1;
  const them = many ? 'them' : 'it';
  const s = many ? '' : 's';
  const uses = what.kind === 'source' ? `read${s} it` : what.kind === 'model' ? `send${s} it` : `send${s} to it`;
  const fix = what.kind === 'destination' ? `Delete or change ${them} first.` : `Delete ${them} or point ${them} at another ${what.kind} first.`;
  return `The ${what.kind} "${what.name}" cannot be deleted: the ${users.kind}${many ? 's' : ''} ${quoted(users.names)} ${uses}. ${fix}`;
}

/** Whether a definition names a keychain secret anywhere ({ keychain: NAME }): a destination's delete prompt says its secrets stay only then. */
export function hasKeychainSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasKeychainSecret);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => (k === 'keychain' && typeof v === 'string') || hasKeychainSecret(v));
}
