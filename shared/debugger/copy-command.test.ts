import { describe, expect, it } from 'vitest';
import { asAwsCli, asKcat, kebabCase, shellQuote, type CopyableCall, type KafkaSecurity } from './copy-command';

// “Copy as AWS CLI command” and “Copy as kcat command” in the Debugger's call detail: a runnable
// command from a recorded call, never a secret (placeholders for the shell to fill in).

const data = (text: string) => ({ bytes: new TextEncoder().encode(text).length, preview: text, encoding: 'utf8' as const });
const fromBase64 = (b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

/** The JSON after --cli-input-json, unquoted (the tests' JSON has no single quotes unless said). */
function cliInput(command: string): { StreamName?: string; Records?: { Data: string; PartitionKey: string }[] } {
  const m = /--cli-input-json '(.*)'$/.exec(command);
  if (!m) throw new Error(`no --cli-input-json in ${command}`);
  return JSON.parse(m[1]!.replace(/'\\''/g, "'")) as { Records?: { Data: string; PartitionKey: string }[] };
}

const putRecords: CopyableCall = {
  service: 'kinesis',
  operation: 'PutRecords',
  target: 'us-east-1 http://127.0.0.1:4567',
  request: {
    StreamName: 'people',
    Records: {
      count: 500,
      first: [
        { Data: data('{"id":1,"name":"Ada"}'), PartitionKey: '1' },
        { Data: data('{"id":2}'), PartitionKey: '2' },
        { Data: data('{"id":3}'), PartitionKey: '3' },
      ],
    },
  },
  response: {},
  transport: {
    kind: 'http',
    method: 'POST',
    url: 'http://127.0.0.1:4567/',
    requestHeaders: { authorization: '[redacted]', 'x-amz-security-token': '[redacted]', 'x-amz-target': 'Kinesis_20131202.PutRecords' },
    responseHeaders: {},
  },
};

describe('asAwsCli', () => {
  it('names the operation in kebab-case, with the region, the endpoint when it is not AWS’s, and the parameters as --cli-input-json', () => {
    const out = asAwsCli(putRecords)!;
    expect(out.command.startsWith('aws kinesis put-records --region us-east-1 --endpoint-url http://127.0.0.1:4567 --cli-input-json ')).toBe(true);
    const input = cliInput(out.command);
    expect(input.StreamName).toBe('people');
    // Record data base64-encoded (the AWS CLI v2 reads blobs as base64), each record's key kept.
    expect(input.Records!.map((r) => [fromBase64(r.Data), r.PartitionKey])).toEqual([
      ['{"id":1,"name":"Ada"}', '1'],
      ['{"id":2}', '2'],
      ['{"id":3}', '3'],
    ]);
    expect(out.notes).toContain('Only the first 3 of the 500 items of Records were recorded: the command sends those.');
    // No credentials: the headers (blanked anyway) are not part of the command; the CLI uses its own profile.
    expect(out.command).not.toMatch(/authorization|security-token|redacted/i);
  });

  it('leaves out --endpoint-url for AWS’s own endpoints; a Firehose PutRecordBatch; STS without parameters', () => {
    const firehose = asAwsCli({
      ...putRecords,
      service: 'firehose',
      operation: 'PutRecordBatch',
      target: 'eu-west-1 https://firehose.eu-west-1.amazonaws.com',
      request: { DeliveryStreamName: 'events', Records: [{ Data: data('x') }] },
    })!;
    expect(firehose.command).toBe(
      `aws firehose put-record-batch --region eu-west-1 --cli-input-json '{"DeliveryStreamName":"events","Records":[{"Data":"eA=="}]}'`,
    );
    expect(firehose.notes).toEqual(['Record data is given base64-encoded, as the AWS CLI version 2 reads it by default.']);
    const sts = asAwsCli({
      ...putRecords,
      service: 'sts',
      operation: 'GetCallerIdentity',
      target: 'us-east-1 https://sts.us-east-1.amazonaws.com',
      request: {},
    })!;
    expect(sts).toEqual({ command: 'aws sts get-caller-identity --region us-east-1', notes: [] });
    // A VPC endpoint is AWS's domain but not what the CLI would find by itself.
    const vpce = asAwsCli({ ...putRecords, target: 'us-east-1 https://vpce-0a1b.kinesis.us-east-1.vpce.amazonaws.com', request: { StreamName: 's' } })!;
    expect(vpce.command).toContain('--endpoint-url https://vpce-0a1b.kinesis.us-east-1.vpce.amazonaws.com');
  });

  it('says when record data was only previewed, and quotes single quotes for the shell', () => {
    const long = 'x'.repeat(200);
    const out = asAwsCli({
      ...putRecords,
      request: { StreamName: "it's", Records: [{ Data: { bytes: 5000, preview: `${long}…`, encoding: 'utf8' }, PartitionKey: 'k' }] },
    })!;
    expect(out.command).toContain(`"StreamName":"it'\\''s"`);
    expect(fromBase64(cliInput(out.command).Records![0]!.Data)).toBe(long);
    expect(out.notes.some((n) => n.includes('Records[0].Data sends the preview, not the 5000 bytes'))).toBe(true);
  });

  it('is not offered for a Kafka call', () => {
    expect(asAwsCli({ ...putRecords, service: 'kafka' })).toBeNull();
  });
});

const scram: KafkaSecurity = { tls: true, ca: true, clientCert: false, verify: true, sasl: { mechanism: 'scram-sha-512', username: 'scram512-user' } };
const produce: CopyableCall = {
  service: 'kafka',
  operation: 'Produce',
  target: 'b1.example:9096, b2.example:9096',
  request: {
    topic: 'people',
    acks: -1,
    compression: 'none',
    messages: {
      count: 40,
      first: [
        { key: '17', partition: 2, headers: { source: 'sluice', authorization: '[redacted]' }, value: data('{"id": 17, "name": "O\'Neil"}') },
        { key: '18', partition: 0, headers: {}, value: null },
      ],
    },
  },
  response: [],
  transport: { kind: 'kafka', apiVersion: 7, requests: [], security: scram },
};

describe('asKcat', () => {
  it('produces each recorded message with brokers, topic, partition, key and headers; the password as $KAFKA_PASSWORD', () => {
    const out = asKcat(produce)!;
    const security = `-X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=scram512-user -X sasl.password="$KAFKA_PASSWORD" -X ssl.ca.location="$KAFKA_CA_FILE"`;
    expect(out.command.split('\n')).toEqual([
      `printf '%s' '{"id": 17, "name": "O'\\''Neil"}' | kcat -P -b b1.example:9096,b2.example:9096 ${security} -t people -p 2 -H source=sluice -H authorization="$KAFKA_HEADER_AUTHORIZATION" -D '\\x1e' -k 17`,
      // A tombstone: the key and no value, sent as NULL.
      `printf '%s\\x1f' 18 | kcat -P -b b1.example:9096,b2.example:9096 ${security} -t people -p 0 -D '\\x1e' -K '\\x1f' -Z`,
    ]);
    expect(out.notes).toEqual(
      expect.arrayContaining([
        "Set KAFKA_PASSWORD to the destination's password first.",
        "Set KAFKA_CA_FILE to a file holding the destination's CA certificate.",
        'Only the first 2 of the 40 messages were recorded: one command for each of those.',
        'The authorization header was not recorded: set KAFKA_HEADER_AUTHORIZATION.',
      ]),
    );
  });

  it('says when a key or header value was recorded shortened or binary: the command sent the 200 characters kept with a "…", as another key, and said nothing', () => {
    const long = 'x'.repeat(200);
    const out = asKcat({
      ...produce,
      request: {
        topic: 'people',
        acks: -1,
        compression: 'none',
        // As the recorder keeps them: a 5,000-character key and header value as their first 200 characters and "…", a value with a NUL as base64.
        messages: { count: 2, first: [{ key: `${long}…`, partition: 0, headers: { h: `${long}…`, b: 'base64:YQBi' }, value: data('{}') }] },
      },
      transport: { kind: 'kafka', apiVersion: 7, requests: [], security: { tls: false, ca: false, clientCert: false, verify: true, sasl: null } },
    })!;
    expect(out.command).toBe(
      `printf '%s' '{}' | kcat -P -b b1.example:9096,b2.example:9096 -t people -p 0 -H h=${long} -H b=base64:YQBi -D '\\x1e' -k ${long}`,
    );
    expect(out.notes).toEqual(
      expect.arrayContaining([
        "Message 1's key was recorded as its first 200 characters: the command sends those, not the whole of it; set it by hand (-k).",
        "Message 1's h header was recorded as its first 200 characters: the command sends those, not the whole of it; set it by hand (-H).",
        "Message 1's b header is binary (base64:YQBi…): kcat -H takes text, set it by hand.",
      ]),
    );
    // A value of 200 characters or fewer is kept whole, even one ending in "…".
    const whole = asKcat({
      ...produce,
      request: { topic: 'people', messages: { count: 1, first: [{ key: 'to be continued…', partition: 0, headers: {}, value: data('{}') }] } },
    })!;
    expect(whole.command).toContain(`-k 'to be continued…'`);
    expect(whole.notes.filter((n) => n.includes('recorded as its first'))).toEqual([]);
  });

  it('lists the metadata for other requests (with the topic an error named), over the same connection settings', () => {
    const metadata = asKcat({
      ...produce,
      operation: 'Metadata',
      target: 'b1.example:9096',
      request: { apiName: 'Metadata' },
      response: { size: 60, errors: [{ code: 3, type: 'UNKNOWN_TOPIC_OR_PARTITION', message: '…', topic: 'missing' }] },
    })!;
    expect(metadata.command).toBe(
      'kcat -L -b b1.example:9096 -X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=scram512-user -X sasl.password="$KAFKA_PASSWORD" -X ssl.ca.location="$KAFKA_CA_FILE" -t missing',
    );
    const login = asKcat({
      ...produce,
      operation: 'SaslAuthenticate',
      target: 'b1.example:9096',
      request: { apiName: 'SaslAuthenticate' },
      response: { size: 10 },
    })!;
    expect(login.command).toMatch(/^kcat -L -b b1\.example:9096 /);
    expect(login.notes).toContain(
      "kcat has no command for one SaslAuthenticate request: this lists the cluster's metadata over the same connection (ApiVersions, the login, Metadata).",
    );
  });

  it('plaintext without SASL, mTLS, no verification, a connection that failed, a call recorded without its settings', () => {
    const plain = asKcat({
      ...produce,
      operation: 'Metadata',
      target: 'localhost:9092',
      transport: { kind: 'kafka', security: { tls: false, ca: false, clientCert: false, verify: true, sasl: null } },
    })!;
    expect(plain).toEqual({ command: 'kcat -L -b localhost:9092', notes: [] });
    const mtls = asKcat({
      ...produce,
      operation: 'Metadata',
      target: 'b:9094',
      transport: { kind: 'kafka', security: { tls: true, ca: false, clientCert: true, verify: false, sasl: null } },
    })!;
    expect(mtls.command).toBe(
      'kcat -L -b b:9094 -X security.protocol=SSL -X ssl.certificate.location="$KAFKA_CERT_FILE" -X ssl.key.location="$KAFKA_KEY_FILE" -X enable.ssl.certificate.verification=false',
    );
    const connect = asKcat({ ...produce, operation: 'Connect', target: 'a:1, b:2', request: { brokers: ['a:1', 'b:2'] }, transport: null })!;
    expect(connect.command).toBe('kcat -L -b a:1,b:2');
    expect(connect.notes[0]).toMatch(/recorded without its connection settings/);
  });

  it('an MSK IAM login (recorded as aws) is OAUTHBEARER over TLS, with no password and a note that kcat cannot sign it', () => {
    const msk = asKcat({
      ...produce,
      operation: 'Metadata',
      target: 'b-1.x.kafka.eu-west-1.amazonaws.com:9098',
      transport: { kind: 'kafka', security: { tls: true, ca: false, clientCert: false, verify: true, sasl: { mechanism: 'aws' } } },
    })!;
    expect(msk.command).toBe('kcat -L -b b-1.x.kafka.eu-west-1.amazonaws.com:9098 -X security.protocol=SASL_SSL -X sasl.mechanisms=OAUTHBEARER');
    expect(msk.notes).toEqual([expect.stringMatching(/MSK with IAM as SASL\/OAUTHBEARER with a signed token, which kcat cannot make/)]);
  });

  it('never writes a value into sasl.password, whatever the username or headers hold', () => {
    const odd = asKcat({ ...produce, transport: { kind: 'kafka', security: { ...scram, sasl: { mechanism: 'plain', username: 'bob$HOME' } } } })!;
    expect(odd.command).toContain(`-X 'sasl.username=bob$HOME'`);
    expect(odd.command.match(/sasl\.password=\S*/g)).toEqual(['sasl.password="$KAFKA_PASSWORD"', 'sasl.password="$KAFKA_PASSWORD"']);
    expect(asKcat({ ...produce, service: 'kinesis' })).toBeNull();
  });
});

describe('helpers', () => {
  it('kebab-cases AWS operation names', () => {
    expect(['PutRecords', 'PutRecordBatch', 'DescribeStreamSummary', 'GetCallerIdentity', 'ListShards', 'AssumeRole'].map(kebabCase)).toEqual([
      'put-records',
      'put-record-batch',
      'describe-stream-summary',
      'get-caller-identity',
      'list-shards',
      'assume-role',
    ]);
  });
  it('quotes only what needs quoting', () => {
    expect(shellQuote('us-east-1')).toBe('us-east-1');
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});
