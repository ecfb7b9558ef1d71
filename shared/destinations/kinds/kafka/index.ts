import type { SharedKind } from '../kind';
import { mskPolicy } from './policy';

export const kafkaShared: SharedKind<'kafka'> = { kind: 'kafka', noun: 'topic', policy: mskPolicy };
