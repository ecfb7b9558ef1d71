import type { CreatedStream, StreamSpec } from '../../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../../shared/ipc/errors';
import { wholeNumber } from '../../../components/whole-number';

/** The "Create a new …" form as typed: every kind's fields (only the chosen kind's are used). */
export interface CreateTargetForm {
  name: string;
  partitions: string;
  replicationFactor: string;
  retention: number;
  mode: 'on-demand' | 'provisioned';
  shardCount: string;
  bucket: string;
  prefix: string;
  roleArn: string;
}

export const EMPTY_CREATE_TARGET: CreateTargetForm = {
  name: '',
  partitions: '3',
  replicationFactor: '1',
  retention: 0,
  mode: 'on-demand',
  shardCount: '1',
  bucket: '',
  prefix: '',
  roleArn: '',
};

/** A whole-number field's text as the schema sees it: the number when it is only digits, else NaN (refused with the field's own message). */
export const num = wholeNumber;

/**
 * What a "Create …" refused because the name is taken stands for: that existing topic or stream, used as
 * it is (a conflict is the only one createStream answers). Else the Create failed and nothing was
 * chosen, which left a Kafka destination saved with no topic at all. Null for any other error.
 */
export function existingTarget(error: unknown, spec: StreamSpec, name: string, noun: string): CreatedStream | null {
  if (!(error instanceof SluiceError) || error.code !== 'conflict' || !name) return null;
  return {
    kind: spec.kind,
    name,
    status: 'ACTIVE',
    ready: true,
    detail: `The ${noun} "${name}" already exists — it will be used as it is (the settings chosen here are not applied)`,
  };
}
