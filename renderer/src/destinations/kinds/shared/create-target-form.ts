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

/** A number field's text as the schema sees it: a number when it is one, else the text (refused with the field's own message). */
export function num(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}
