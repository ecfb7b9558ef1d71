import type { Destination } from '../../shared/config/destination';
import { SluiceError } from '../../shared/ipc/errors';
import { engineKind } from './kinds/registry';

/**
 * Refuses a destination every use of which would fail though its schema takes it (a broker port past
 * 65535, a topic or sandbox stream name the service refuses: the kind's `useProblems`). Not in the
 * schemas, since destinations saved so must still list and export; `sluice apply` and the app's save
 * refuse them, naming the field, where a run would fail on them only once sending.
 */
export function assertUsableDestination(d: Destination, pathPrefix = ''): void {
  const issues = engineKind(d.kind).useProblems?.(d as never) ?? [];
  if (issues.length > 0)
    throw new SluiceError(
      'invalid-input',
      `The destination "${d.name}" cannot be used: ${issues[0]!.message}`,
      issues.map((i) => ({ ...i, path: pathPrefix + i.path })),
    );
}
