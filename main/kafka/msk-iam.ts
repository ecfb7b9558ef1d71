import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import type { OauthbearerProviderResponse, SASLOptions } from 'kafkajs';
import type { AwsAuth } from '../../shared/config/destination';
import { awsCredentials } from '../aws/credentials';
import { MSK_IAM_MARK } from './answers';
import type { SourceSecretResolver } from '../secrets/types';

/**
 * Amazon MSK IAM access control, as SASL/OAUTHBEARER.
 *
 * MSK takes an IAM login two ways: the SASL mechanism AWS_MSK_IAM (a JSON document of SigV4-signed
 * fields) and SASL/OAUTHBEARER whose token is a SigV4-presigned `kafka-cluster:Connect` URL. AWS's own
 * Java library (software.amazon.msk:aws-msk-iam-auth, 2.x) makes both (IAMLoginModule and
 * IAMOAuthBearerLoginCallbackHandler). Sluice uses OAUTHBEARER: kafkajs speaks it natively (an
 * `oauthBearerProvider`; AWS_MSK_IAM would be a hand-written kafkajs mechanism), and AWS publishes
 * the JavaScript signer for it (aws-msk-iam-sasl-signer-js), which makes the same token as the Java
 * library (main/testing/msk-iam/MskIamToken.java and msk-iam.test.ts hold the two byte for byte).
 * kafkajs' own `aws` mechanism is not MSK's: it sends the secret key itself, which MSK refuses.
 *
 * Only the signature leaves the machine; the secret key and the session token never do (the session
 * token is part of the presigned URL, as in every presigned AWS request).
 */

/** A signed token, valid 15 minutes, for one login. */
export async function mskIamToken(credentials: AwsCredentialIdentityProvider, region: string): Promise<OauthbearerProviderResponse> {
  const { token } = await generateAuthTokenFromCredentialsProvider({
    region,
    // The signer shortens the token's life to the credentials' own, as a fraction of a second that
    // MSK would refuse in X-Amz-Expires; an expired session token is refused by AWS anyway.
    awsCredentialsProvider: async () => {
      const { accessKeyId, secretAccessKey, sessionToken } = await credentials();
      return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    },
  });
  return { value: token };
}

/** kafkajs SASL settings for an MSK IAM login; a new token is signed for every connection. */
export async function mskIamSasl(auth: AwsAuth, region: string, secrets: SourceSecretResolver): Promise<SASLOptions> {
  const resolved: AwsCredentialIdentity | AwsCredentialIdentityProvider = await awsCredentials(auth, region, secrets);
  const credentials: AwsCredentialIdentityProvider = typeof resolved === 'function' ? resolved : () => Promise.resolve(resolved);
  const sasl: SASLOptions & { [MSK_IAM_MARK]: string } = {
    mechanism: 'oauthbearer',
    oauthBearerProvider: async () => {
      const token = await mskIamToken(credentials, region);
      secrets.remember?.(token.value); // it carries the session token: redacted wherever it might show
      return token;
    },
    [MSK_IAM_MARK]: region,
  };
  return sasl;
}
