import type { Migration } from './migration';
import { m001SettingsAndSecretRefs } from './001-settings-and-secret-refs';
import { m002CatalogSnapshotRunsLedger } from './002-catalog-snapshot-runs-ledger';
import { m003ApiCalls } from './003-api-calls';
import { m004TemplateTests } from './004-template-tests';
import { m005RunProgressTime } from './005-run-progress-time';
import { m006SecretBindings } from './006-secret-bindings';
import { m007MemorySecretOwners } from './007-memory-secret-owners';
import { m008CatalogRevision } from './008-catalog-revision';
import { m009PgSnapshotOutbox } from './009-pg-snapshot-outbox';
import { m010PgSnapshotTable } from './010-pg-snapshot-table';
import { m011PgOutboxPlace } from './011-pg-outbox-place';
import { m012RunCancelRequest } from './012-run-cancel-request';
import { m013RunLive } from './013-run-live';
import { m014RunIdsNeverReused } from './014-run-ids-never-reused';
import { m015ApiCallsByDestination } from './015-api-calls-by-destination';

export type { Migration } from './migration';

// 003 the API-call recorder (issue 7), 004 template tests (issue 5), 005 the run's progress time (issue 12),
// 006 secret bindings (issue 12), 007 the process that holds each memory secret (issue 14), 008 the catalog
// revision other processes' changes are seen by (issue 14), 009 the in-database diff's outbox (issue 16), 010 the
// name of its snapshot table, forgotten when the sync starts over (issue 16), 011 where a delivered key's row was
// in that table (issue 16), 012 a run's cancel request from another process, 013 what a running run's progress says
// beyond its counts (retrying, a silent source), for other processes to show, 014 run ids never given twice (a deleted
// sync's runs' ids stay taken), 015 the Debugger's calls by destination (its filter, a destination's rename).
export const MIGRATIONS: readonly Migration[] = [
  m001SettingsAndSecretRefs,
  m002CatalogSnapshotRunsLedger,
  m003ApiCalls,
  m004TemplateTests,
  m005RunProgressTime,
  m006SecretBindings,
  m007MemorySecretOwners,
  m008CatalogRevision,
  m009PgSnapshotOutbox,
  m010PgSnapshotTable,
  m011PgOutboxPlace,
  m012RunCancelRequest,
  m013RunLive,
  m014RunIdsNeverReused,
  m015ApiCallsByDestination,
];
