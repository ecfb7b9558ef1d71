import type { ConnectionTest } from '../../shared/config/connection-test';
import { stillInUse } from '../catalog/in-use';
import type { Destination, DestinationDraft } from '../../shared/config/destination';
import { resolveExternalId } from '../aws/credentials';
import { iamPolicyFor, type IamPolicyAdvice } from '../../shared/destinations/iam-policy';
import { assertUsableDestination } from './destination-problems';
import { putDestinationRetargeting, syncsStartingOver } from './destination-target';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { testDestination } from './connection-test';
import { engineKind } from './kinds/registry';
import { assertDraftScope, bindSecrets } from './secret-scope';

/**
 * What the destination wizard asks of the engine: save and delete destinations, test an unsaved
 * draft, list what a draft can write to, and the least-privilege IAM policy of a saved destination.
 * Saving and deleting end with `catalogChanged`, as every catalog change does.
 */

/**
 * Saves a destination from the wizard. Answers it as saved, with the syncs that start over because it now
 * points at another stream or topic (`putDestinationRetargeting`; refused while one of them runs).
 */
export function saveDestination(
  engine: EngineServices,
  destination: Destination,
  mode: 'create' | 'update',
): { destination: Destination; startedOver: string[] } {
  const exists = engine.catalog.listDestinations().some((d) => d.name === destination.name);
  if (mode === 'create' && exists) {
    throw new SluiceError('conflict', `A destination named "${destination.name}" already exists`, [
      { path: 'name', message: 'Choose another name, or edit the existing destination' },
    ]);
  }
  if (mode === 'update' && !exists) throw new SluiceError('not-found', `There is no destination named "${destination.name}" to update`);
  // A secret must only go to the destination it belongs to (issue 12): saving is refused like testing.
  assertDraftScope(engine, destination, 'destination.');
  assertUsableDestination(destination, 'destination.');
  const saved = engine.db
    .transaction(() => {
      // The secrets the saved version used stay bound to its endpoints, even if this version drops them.
      if (mode === 'update') bindSecrets(engine, engine.catalog.getDestination(destination.name));
      const put = putDestinationRetargeting(engine.catalog, destination);
      bindSecrets(engine, put.destination);
      if (put.startedOver.length > 0) engine.log.info('destination.retargeted', { name: put.destination.name, startedOver: put.startedOver });
      return put;
    })
    .immediate(); // (reads, then writes: the write lock first, or a run's ledger committing in between refuses it)
  engine.log.info('destination.saved', { name: saved.destination.name, kind: saved.destination.kind, mode });
  engine.emit('catalogChanged', {});
  return saved;
}

/**
 * What saving `destination` over the saved one of its name would do to its syncs, without saving: the
 * syncs that would start over (asked of the save's own `syncsStartingOver`), and whether each runs now
 * (a save is refused then). None for a new destination, or one that keeps its stream or topic.
 */
export function previewDestinationSave(engine: EngineServices, destination: Destination): { startsOver: { sync: string; running: boolean }[] } {
  return {
    startsOver: syncsStartingOver(engine.catalog, destination).map((s) => ({
      sync: s.definition.name,
      running: engine.runs.activeRun(s.id) !== undefined,
    })),
  };
}

export function deleteDestination(engine: EngineServices, name: string): void {
  engine.catalog.getDestination(name);
  const users = engine.catalog
    .listSyncs()
    .filter((s) => s.definition.destination === name)
    .map((s) => s.definition.name);
  if (users.length > 0) throw stillInUse({ kind: 'destination', name }, { kind: 'sync', names: users });
  engine.db
    .transaction(() => {
      // Its secrets stay bound to its endpoints: deleting a destination does not free them for others.
      bindSecrets(engine, engine.catalog.getDestination(name));
      engine.catalog.deleteDestination(name);
    })
    .immediate();
  engine.log.info('destination.deleted', { name });
  engine.emit('catalogChanged', {});
}

export async function testDraft(engine: EngineServices, draft: DestinationDraft): Promise<ConnectionTest> {
  // The draft's endpoints come from the caller: its secrets must belong to them (issue 12), checked
  // before anything is resolved or connected to.
  assertDraftScope(engine, draft, 'draft.');
  // Recorded for the Debugger like every other connection test (issue 7).
  return testDestination(
    draft,
    engine.secretResolver,
    engine.sandbox,
    engine.recorder.scope({ runId: null, context: 'connection-test', destination: draft.name || '(new destination)' }),
  );
}

/** The streams, delivery streams or topics a draft's credentials can see; a failed test is an error naming its step. */
export async function listDraftTargets(engine: EngineServices, draft: DestinationDraft): Promise<string[]> {
  const result = await testDraft(engine, draft);
  const failed = result.steps.find((s) => s.status === 'failed');
  if (failed)
    throw new SluiceError(
      'invalid-input',
      `Could not list what "${draft.name}" can write to: ${failed.step} failed — ${failed.detail}${failed.hint ? ` (${failed.hint})` : ''}`,
    );
  return result.listed;
}

/** The policy of a saved destination; the connection test tells its ARN and whether it is KMS-encrypted. */
export async function destinationPolicy(
  engine: EngineServices,
  name: string,
  options: { inspector: boolean; probe: boolean },
): Promise<{ advice: IamPolicyAdvice | null; probed: ConnectionTest | null }> {
  const destination = engine.catalog.getDestination(name);
  const probed = options.probe && engineKind(destination.kind).awsRole(destination)?.probe ? await testDraft(engine, destination) : null;
  const target = probed?.target;
  const routeStreams = firehoseRouteStreams(engine, name);
  const externalIds = await roleExternalIds(engine, destination);
  return {
    advice: iamPolicyFor(destination, {
      inspector: options.inspector,
      encrypted: target?.encrypted ?? false,
      ...(probed?.account ? { account: probed.account } : {}),
      ...(target?.kmsKeyId ? { kmsKeyId: target.kmsKeyId } : {}),
      ...(target?.arn ? { streamArn: target.arn } : {}),
      ...(routeStreams.length ? { routeStreams } : {}),
      ...(externalIds.length ? { externalIds } : {}),
      ...(probed?.trustedIdentity ? { trustedIdentity: probed.trustedIdentity } : {}),
    }),
    probed,
  };
}

/**
 * Assume role: the external IDs of every saved destination that assumes the same role (this one first),
 * resolved from the keychain — the role's trust policy accepts each of them. One that cannot be read is left out.
 */
async function roleExternalIds(engine: EngineServices, destination: Destination): Promise<string[]> {
  const roleOf = (d: Destination) => {
    const auth = engineKind(d.kind).awsRole(d)?.auth;
    return auth?.kind === 'assume-role' ? auth : undefined;
  };
  const role = roleOf(destination);
  if (!role) return [];
  const same = engine.catalog.listDestinations().filter((d) => d.name !== destination.name && roleOf(d)?.roleArn === role.roleArn);
  const ids: string[] = [];
  for (const d of [destination, ...same]) {
    const id = await resolveExternalId(roleOf(d)!, engine.secretResolver.forDestination(d)).catch(() => undefined);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The delivery streams named by the event routes of the syncs that send to this destination. */
export function firehoseRouteStreams(engine: EngineServices, destination: string): string[] {
  const streams = engine.catalog
    .listSyncs()
    .filter((s) => s.definition.destination === destination)
    .flatMap((s) => s.definition.firehose?.routes.map((r) => r.stream) ?? []);
  return [...new Set(streams)].sort();
}
