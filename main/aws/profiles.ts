import { loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsProfile } from '../../shared/destinations/aws-profile';

/**
 * Profiles of the AWS shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`,
 * or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), SSO profiles included. Only names and
 * non-secret settings leave this function: never a key.
 */
export async function listAwsProfiles(): Promise<AwsProfile[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  // `[sso-session X]` and `[services X]` sections are not profiles (the loader keys them "sso-session.X").
  const isProfile = (name: string) => !/^(sso-session|services)\./.test(name);
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)].filter(isProfile));
  return [...names].sort().map((name): AwsProfile => {
    const config = configFile[name] ?? {};
    const credentials = credentialsFile[name] ?? {};
    const sso = config.sso_session !== undefined || config.sso_start_url !== undefined;
    const kind: AwsProfile['kind'] = sso
      ? 'sso'
      : config.role_arn !== undefined
        ? 'assume-role'
        : config.credential_process !== undefined
          ? 'process'
          : credentials.aws_access_key_id !== undefined || config.aws_access_key_id !== undefined
            ? 'static'
            : 'other';
    const region = config.region ?? credentials.region;
    return {
      name,
      kind,
      ...(region ? { region } : {}),
      in: [...(name in configFile ? (['config'] as const) : []), ...(name in credentialsFile ? (['credentials'] as const) : [])],
    };
  });
}
