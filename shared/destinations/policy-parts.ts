import type { DestinationDraft } from '../config/destination';

/**
 * The parts of a least-privilege IAM policy (each destination kind writes its own: shared/destinations/kinds/):
 * the documents, what the connection test learnt, and where a policy is attached. The policy for exactly one destination configuration: what Sluice calls and
 * nothing more. A pure function of the configuration and what the connection test learnt.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[] | string;
  Resource?: string[] | string;
  Principal?: { AWS: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicyContext {
  /** The record inspector reads the stream back (GetShardIterator, GetRecords). */
  inspector: boolean;
  /** The stream is encrypted with KMS (DescribeStreamSummary's EncryptionType is KMS). */
  encrypted: boolean;
  /** The stream's KMS key as AWS reports it (key ARN, alias or key id). */
  kmsKeyId?: string;
  /** The stream's ARN as the connection test read it; it gives the account. */
  streamArn?: string;
  /** The account id, e.g. from STS GetCallerIdentity, when the ARN is not known. */
  account?: string;
  /** Firehose: the delivery streams that syncs' event routes (`firehose.routes`) send to, besides the destination's own. */
  routeStreams?: string[];
  /**
   * Assume role: the external IDs the trust policy accepts (this destination's, and those of other
   * destinations assuming the same role). A typed-in external ID of the destination is always included.
   */
  externalIds?: string[];
  /** Assume role: the base credentials' identity (an IAM user or role ARN, from STS GetCallerIdentity), which the trust policy trusts. */
  trustedIdentity?: string;
}

export interface IamPolicyAdvice {
  /** Who gets the policy, in words. */
  attachTo: string;
  policy: PolicyDocument;
  /** Assume role: the role's trust policy, with the external ID condition. */
  trustPolicy?: PolicyDocument;
  /** Assume role: what the base credentials need to assume the role. */
  basePolicy?: PolicyDocument;
  /** Placeholders in the documents that the user replaces (e.g. ACCOUNT_ID). */
  placeholders: string[];
  /** Assume role: what the role's owner needs — the account to trust and the external ID(s) to require. */
  trust?: { account?: string; principal?: string; externalIds: string[] };
}

export const EXTERNAL_ID_PLACEHOLDER = 'EXTERNAL_ID';
export const BASE_PLACEHOLDER = 'BASE_IDENTITY_ARN';

export const ACCOUNT_PLACEHOLDER = 'ACCOUNT_ID';
export const KMS_KEY_PLACEHOLDER = 'KMS_KEY_ID';

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

export function kmsResource(partition: string, region: string, account: string, keyId: string | undefined): string {
  if (!keyId) return `arn:${partition}:kms:${region}:${account}:key/${KMS_KEY_PLACEHOLDER}`;
  if (keyId.startsWith('arn:')) return keyId;
  if (keyId.startsWith('alias/')) return `arn:${partition}:kms:${region}:${account}:${keyId}`;
  return `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
}

export function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export type AwsCredentialsDraft = Extract<DestinationDraft, { kind: 'kinesis' }>['auth'];

/**
 * Where a policy goes for these AWS credentials: the IAM user or the default chain's identity, or an
 * assumed role — then with its trust policy (the base identity, every external ID of the destinations
 * assuming it; one kept in the keychain that the caller did not resolve is a placeholder) and the
 * base identity's permission to assume it.
 */
export function attachedPolicy(auth: AwsCredentialsDraft, policy: PolicyDocument, placeholders: Set<string>, context: PolicyContext): IamPolicyAdvice {
  if (auth.kind !== 'assume-role') {
    const who =
      auth.kind === 'access-key'
        ? `the IAM user of access key ${auth.accessKeyId}`
        : `the identity of the default credential chain${auth.profile ? ` (profile ${auth.profile})` : ''}`;
    return { attachTo: who, policy, placeholders: [...placeholders] };
  }
  const typed = typeof auth.externalId === 'string' ? [auth.externalId] : [];
  const externalIds = [...new Set([...typed, ...(context.externalIds ?? [])])];
  if (auth.externalId !== undefined && externalIds.length === 0) {
    externalIds.push(EXTERNAL_ID_PLACEHOLDER);
    placeholders.add(EXTERNAL_ID_PLACEHOLDER);
  }
  const trusted = context.trustedIdentity && /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/.+$/.test(context.trustedIdentity) ? context.trustedIdentity : undefined;
  if (!trusted) placeholders.add(BASE_PLACEHOLDER);
  return {
    attachTo: `the role ${auth.roleArn}`,
    policy,
    trustPolicy: doc({
      Sid: 'SluiceAssumeRole',
      Effect: 'Allow',
      Principal: { AWS: trusted ?? BASE_PLACEHOLDER },
      Action: 'sts:AssumeRole',
      // Several external IDs (one per destination assuming this role): any one of them may assume it.
      ...(externalIds.length ? { Condition: { StringEquals: { 'sts:ExternalId': externalIds.length === 1 ? externalIds[0]! : externalIds } } } : {}),
    }),
    basePolicy: doc({ Sid: 'SluiceMayAssumeRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: auth.roleArn }),
    placeholders: [...placeholders],
    trust: {
      ...(trusted ? { account: accountFromArn(trusted)!, principal: trusted } : {}),
      externalIds: externalIds.filter((id) => id !== EXTERNAL_ID_PLACEHOLDER),
    },
  };
}

/** Where an AWS destination's resources are: the partition, and the account (from the stream's ARN, the caller, or the role), a placeholder when unknown. */
export function awsAccount(
  region: string,
  auth: AwsCredentialsDraft,
  givenArn: string | undefined,
  context: PolicyContext,
): { partition: string; account: string; placeholders: Set<string> } {
  const roleArn = auth.kind === 'assume-role' ? auth.roleArn : undefined;
  // A stream given by ARN names its account (and the resource itself).
  const account = accountFromArn(context.streamArn ?? givenArn) ?? context.account ?? accountFromArn(roleArn) ?? ACCOUNT_PLACEHOLDER;
  return { partition: partitionOf(region), account, placeholders: new Set(account === ACCOUNT_PLACEHOLDER ? [ACCOUNT_PLACEHOLDER] : []) };
}
