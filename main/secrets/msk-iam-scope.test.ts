import { describe, expect, it } from 'vitest';
import { DestinationSchema, type DestinationDraft } from '../../shared/config/destination';
import { scopeIssues } from './secret-scope';

// The AWS default chain (the machine's own identity) signs an MSK IAM login only for Amazon MSK's own
// brokers over TLS, and only with AWS's own STS: never for brokers or an STS endpoint a draft chooses.

const msk = (brokers: string[], credentials: unknown, tls = true) =>
  DestinationSchema.parse({
    kind: 'kafka',
    name: 'msk',
    brokers,
    auth: { mechanism: 'aws', region: 'eu-west-1', credentials },
    tls: { enabled: tls },
  }) as DestinationDraft;
const MSK_BROKER = 'b-1.prod.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098';
const nobody = () => [];

describe('MSK IAM credentials and where they may go', () => {
  it('the default chain may sign for MSK brokers over TLS', () => {
    expect(scopeIssues(msk([MSK_BROKER], { kind: 'default-chain' }), nobody, 'draft')).toEqual([]);
  });

  it('is refused for other brokers, for MSK brokers without TLS, and for an STS endpoint the draft chooses', () => {
    const refused = [
      msk(['kafka.attacker.example:9098'], { kind: 'default-chain' }),
      msk([MSK_BROKER], { kind: 'default-chain', profile: 'ops' }, false),
      msk([MSK_BROKER], {
        kind: 'assume-role',
        roleArn: 'arn:aws:iam::111122223333:role/x',
        stsEndpoint: 'https://sts.attacker.example',
        base: { kind: 'default-chain' },
      }),
    ];
    for (const draft of refused) {
      const issues = scopeIssues(draft, nobody, 'draft');
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toMatch(/^auth\.credentials/);
      expect(issues[0]!.message).toMatch(/is sent only to AWS's own endpoints/);
    }
  });
});
