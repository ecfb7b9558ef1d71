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
