// What both Kinesis kinds (a stream in AWS, the built-in sandbox) answer alike: records and their limit,
// sync settings, routing, dry-run placement, the inspector, test-record landings and capture.
import { KINESIS_LIMITS } from '../../../publishers/kinesis-publisher';
import { kinesisSyncSettings } from '../../../sync/sync-settings-fit';
import type { EngineKind } from '../kind';
import { kinesisCapture } from './capture';
import { kinesisPlacer } from './dry-run-placer';
import { kinesisRead, kinesisReadBack, kinesisTargets } from './inspect';
import { kinesisRecordTarget } from './record-target';
import { kinesisRouter } from './routing';
import { kinesisTestRecordLanded } from './test-record';

type Shared =
  | 'sizedAs'
  | 'maxRecordBytes'
  | 'recordTarget'
  | 'syncSettings'
  | 'router'
  | 'dryRunPlacer'
  | 'inspectTargets'
  | 'inspectRead'
  | 'readBack'
  | 'testRecordLanded'
  | 'capture';

export const kinesisFamily: Pick<EngineKind<'kinesis' | 'sandbox-kinesis'>, Shared> = {
  sizedAs: 'data + partition key',
  maxRecordBytes: KINESIS_LIMITS.maxRecordBytes,
  recordTarget: () => kinesisRecordTarget,
  syncSettings: kinesisSyncSettings,
  router: (_d, deps) => kinesisRouter(deps),
  dryRunPlacer: kinesisPlacer,
  inspectTargets: kinesisTargets,
  inspectRead: kinesisRead,
  readBack: kinesisReadBack,
  testRecordLanded: kinesisTestRecordLanded,
  capture: kinesisCapture,
};
