import os from 'node:os';
import type { EngineServices } from '../engine/services';
import { packageVersion } from '../paths';
import { buildDiagnostics } from '../engine/diagnostics';
import type { HandlerTable } from './dispatcher';
import { SluiceError } from '../../shared/ipc/errors';
import { previewModel } from '../sources/preview';
import { testDestination } from '../destinations/connection-test';
import { exportHar, exportNdjson } from '../recorder/api-call-export';
import { previewPayload } from '../sync/payload-preview';
import { saveSyncDefinition } from '../sync/sync-admin';
import { previewRouting } from '../routing/routing-preview';
import { deleteTemplateTest, listTemplateTests, runTemplateTests, saveTemplateTest } from '../sync/template-tests';
import { inspectRead, inspectTargets } from '../inspector/inspector';
import { readBack } from '../inspector/read-back';
import { renameDestination } from '../destinations/destination-rename';
import { deleteDestination, destinationPolicy, listDraftTargets, previewDestinationSave, saveDestination, testDraft } from '../destinations/destination-admin';
import { listAwsProfiles } from '../aws/profiles';
import { sourcesModelsHandlers } from './sources-models-handlers';
import { syncAdminHandlers } from './sync-admin-handlers';
import { streamHandlers } from './stream-handlers';
import { captureHandlers } from './capture-handlers';
import { assertSecretUnused } from '../catalog/secret-users';

/** The handler table: one entry per contract channel, inputs already validated. */
export function createHandlers(engine: EngineServices): HandlerTable {
  return {
    ...appHandlers(engine),
    ...syncRunHandlers(engine),
    ...destinationHandlers(engine),
    ...debuggerHandlers(engine),
    // --- the analyst's whole day in the app (issue #14) ---
    ...sourcesModelsHandlers(engine),
    ...syncAdminHandlers(engine),
    ...streamHandlers(engine),
    ...captureHandlers(engine),
  };
}

/** The app itself: its info, settings, secrets and the diagnostics export. */
function appHandlers(engine: EngineServices) {
  return {
    getAppInfo: () => ({
      name: 'Sluice',
      version: packageVersion(),
      workspace: engine.options.workspace,
      schemaVersion: engine.schemaVersion,
      runtime: engine.options.runtime,
      platform: `${os.platform()}-${os.arch()}`,
      keychain: engine.keychain,
    }),
    getSettings: () => engine.settings.get(),
    updateSettings: (patch) => {
      const next = engine.settings.update(patch);
      engine.log.info('settings.updated', { keys: Object.keys(patch) });
      engine.emit('settingsChanged', next);
      return next;
    },
    listSecrets: () => engine.secrets.list(),
    saveSecret: async ({ name, value }) => {
      const ref = await engine.secrets.save(name, value);
      engine.emit('secretsChanged', engine.secrets.list());
      return ref;
    },
    deleteSecret: async ({ name }) => {
      assertSecretUnused(engine.catalog, name);
      const deleted = await engine.secrets.delete(name);
      engine.emit('secretsChanged', engine.secrets.list());
      return { deleted };
    },
    exportDiagnostics: () => buildDiagnostics(engine),
  } satisfies Partial<HandlerTable>;
}

/** Models, syncs and their runs, the ledger; payload authoring: message properties, routing preview, template tests (issue 5). */
function syncRunHandlers(engine: EngineServices) {
  return {
    listSources: () => engine.catalog.listSources(),
    listModels: () => engine.catalog.listModels(),
    previewModel: ({ model, limit }) => previewModel(engine, model, limit),
    previewPayload: (request) => previewPayload(engine, request),
    saveSync: (sync) => saveSyncDefinition(engine, sync),
    listSyncs: () =>
      engine.catalog.listSyncs().map((s) => {
        const lastRun = engine.runs.latest(s.id, false) ?? null;
        const dry = engine.runs.latest(s.id, true);
        return {
          sync: s.definition,
          initialized: s.initialized,
          lastRun,
          lastDryRun: dry && (!lastRun || dry.id > lastRun.id) ? dry : null,
          running: engine.runs.activeRun(s.id) !== undefined,
        };
      }),
    startRun: ({ sync, dryRun, retryFailedOf, allowMassRemoval, allowRemovalsUpTo }) => ({
      runId: engine.startRun(sync, { dryRun, retryFailedOf, allowMassRemoval, allowRemovalsUpTo }),
    }),
    cancelRun: ({ runId }) => ({ cancelled: engine.cancelRun(runId) }),
    listRuns: ({ sync, limit }) => engine.runs.list(engine.catalog.getSync(sync).id, limit),
    getRun: ({ runId }) => {
      const run = engine.runs.get(runId);
      if (!run) throw new SluiceError('not-found', `There is no run ${runId}`);
      return { run, rejects: engine.runs.rejects(runId), failures: engine.ledger.runFailures(runId, undefined, run.status === 'cancelled') };
    },
    searchLedger: ({ sync, runId, status, text, limit, offset }) =>
      engine.ledger.search({ syncId: sync === undefined ? undefined : engine.catalog.getSync(sync).id, runId, status, text, limit, offset }),

    // --- payload authoring: message properties, routing preview, template tests (issue 5) ---
    previewRouting: (request) => previewRouting(engine, request),
    saveTemplateTest: (request) => saveTemplateTest(engine, request),
    listTemplateTests: ({ sync }) => listTemplateTests(engine, sync),
    deleteTemplateTest: ({ id }) => ({ deleted: deleteTemplateTest(engine, id) }),
    runTemplateTests: (request) => runTemplateTests(engine, request),
  } satisfies Partial<HandlerTable>;
}

/** Destinations: listing, the connection test, the wizard, the IAM policy (issue 6). */
function destinationHandlers(engine: EngineServices) {
  return {
    // --- destinations: wizard, listing, IAM policy (issue 6) ---
    listDestinations: () => engine.catalog.listDestinations(),
    testDestination: ({ destination }) =>
      testDestination(
        engine.catalog.getDestination(destination),
        engine.secretResolver,
        engine.sandbox,
        engine.recorder.scope({ runId: null, context: 'connection-test', destination }),
      ),
    saveDestination: ({ destination, mode }) => saveDestination(engine, destination, mode),
    previewDestinationSave: ({ destination }) => previewDestinationSave(engine, destination),
    renameDestination: ({ name, newName }) => renameDestination(engine, name, newName),
    deleteDestination: ({ name }) => {
      deleteDestination(engine, name);
      return { deleted: true };
    },
    testDestinationDraft: ({ draft }) => testDraft(engine, draft),
    listDestinationTargets: async ({ draft }) => ({ names: await listDraftTargets(engine, draft) }),
    listAwsProfiles: () => listAwsProfiles(),
    destinationPolicy: ({ destination, inspector, probe }) => destinationPolicy(engine, destination, { inspector, probe }),
  } satisfies Partial<HandlerTable>;
}

/** The Debugger and the record inspector (issue 7). */
function debuggerHandlers(engine: EngineServices) {
  return {
    // --- debugger and record inspector (issue 7) ---
    listApiCalls: ({ offset, limit, ...filter }) => {
      engine.recorder.flush();
      return engine.apiCalls.list(filter, offset, limit);
    },
    getApiCall: ({ id }) => engine.apiCalls.get(id),
    listApiCallFacets: () => {
      engine.recorder.flush();
      return engine.apiCalls.facets();
    },
    exportApiCalls: ({ runId, format }) => {
      engine.recorder.flush();
      return format === 'har' ? exportHar(engine.apiCalls, runId, packageVersion()) : exportNdjson(engine.apiCalls, runId);
    },
    inspectTargets: ({ destination }) => inspectTargets(engine, destination),
    inspectRead: (request) => inspectRead(engine, request),
    inspectLedgerRecord: ({ ledgerId }) => readBack(engine, ledgerId),
  } satisfies Partial<HandlerTable>;
}
