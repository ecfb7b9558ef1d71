import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { tempWorkspace } from '../testing/temp';

// `sluice destinations policy NAME`, `sluice destinations rename NAME NEW_NAME` and `sluice destinations delete NAME`, with the real CLI.

const bin = path.join(packageRoot(), 'bin', 'sluice.cjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function sluice(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
}

function workspaceWith(yaml: string): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  const file = path.join(ws.dir, 'config.yaml');
  fs.writeFileSync(file, yaml);
  const applied = sluice(['--workspace', ws.dir, 'apply', '-f', file]);
  expect(applied.status, applied.stderr).toBe(0);
  return ws.dir;
}

const config = `version: 1
destinations:
  - kind: firehose
    name: events
    deliveryStream: events-to-s3
    region: eu-west-1
    auth:
      kind: assume-role
      roleArn: arn:aws:iam::111122223333:role/sluice-writer
      externalId: ext-7
      base: { kind: default-chain, profile: analyst }
  - { kind: sandbox-kinesis, name: sandbox }
`;

describe('sluice destinations policy / rename / delete', () => {
  it('prints the least-privilege policy as JSON on stdout, and the trust policy and placeholders on stderr', () => {
    const ws = workspaceWith(config);
    const r = sluice(['--workspace', ws, 'destinations', 'policy', 'events', '--no-probe']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SluiceWriteDeliveryStream',
          Effect: 'Allow',
          Action: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
          Resource: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/events-to-s3',
        },
        { Sid: 'SluiceListDeliveryStreams', Effect: 'Allow', Action: ['firehose:ListDeliveryStreams'], Resource: '*' },
      ],
    });
    expect(r.stderr).toContain('"sts:ExternalId": "ext-7"');
    expect(r.stderr).toContain('Replace: BASE_IDENTITY_ARN');
    expect(sluice(['--workspace', ws, 'destinations', 'policy', 'sandbox', '--no-probe']).stdout).toBe('"sandbox" needs no IAM policy.\n');
  });

  it('an external ID kept as a secret: the trust policy requires the external IDs of every destination assuming the role', () => {
    const ids = { SLUICE_EXT_A: 'sluice-0123456789abcdef0123456789abcdef', SLUICE_EXT_B: 'sluice-fedcba9876543210fedcba9876543210' };
    const role = (name: string, env: string) => `  - kind: kinesis
    name: ${name}
    stream: ${name}
    region: eu-west-1
    auth:
      kind: assume-role
      roleArn: arn:aws:iam::111122223333:role/shared-writer
      externalId: { env: ${env} }
      base: { kind: default-chain, profile: analyst }
`;
    const ws = workspaceWith(`version: 1\ndestinations:\n${role('orders', 'SLUICE_EXT_A')}${role('refunds', 'SLUICE_EXT_B')}`);
    const r = sluice(['--workspace', ws, 'destinations', 'policy', 'orders', '--no-probe'], ids);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`"sts:ExternalId": [\n            "${ids.SLUICE_EXT_A}",\n            "${ids.SLUICE_EXT_B}"\n          ]`);
    expect(r.stderr).toContain(
      `The role must trust the identity of the base credentials and require the external IDs ${ids.SLUICE_EXT_A}, ${ids.SLUICE_EXT_B}.`,
    );
    // The external ID is a secret: the workspace's own export holds only its reference.
    const exported = sluice(['--workspace', ws, 'export'], ids);
    expect(exported.stdout).toContain('SLUICE_EXT_A');
    expect(exported.stdout).not.toContain(ids.SLUICE_EXT_A);
  });

  it('deletes a destination, and says so when there is none by that name', () => {
    const ws = workspaceWith(config);
    const r = sluice(['--workspace', ws, 'destinations', 'delete', 'events']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('Deleted the destination "events".\n');
    expect(sluice(['--workspace', ws, 'destinations', 'list']).stdout).not.toContain('events');
    // The demo's sync sends to its sandbox stream: that destination stays, and the error says why.
    const used = sluice(['--workspace', ws, 'destinations', 'delete', 'Sandbox stream']);
    expect(used.status).toBe(1);
    expect(used.stderr).toContain(
      'The destination "Sandbox stream" cannot be deleted: the sync "Customers to sandbox" sends to it. Delete or change it first.',
    );
    const again = sluice(['--workspace', ws, 'destinations', 'delete', 'events']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('There is no destination named "events"');
  });

  it('renames a destination: its sync follows, sends nothing new on its next run, and its secret moves with it', () => {
    const ws = workspaceWith(config);
    const run = (...args: string[]) => sluice(['--workspace', ws, ...args], { NODE_NO_WARNINGS: '1' });
    expect(run('sync', 'run', 'Customers to sandbox').status).toBe(0);
    // A secret named after the destination, as the wizard names them, that the destination uses.
    const secret = spawnSync(process.execPath, [bin, '--workspace', ws, 'secrets', 'set', 'events/external-id'], { input: 'ext-7-secret', encoding: 'utf8' });
    expect(secret.status, secret.stderr).toBe(0);
    const file = path.join(ws, 'events.yaml');
    fs.writeFileSync(file, config.replace('externalId: ext-7', 'externalId: { keychain: events/external-id }'));
    expect(run('apply', '-f', file).status).toBe(0);

    const renamed = run('destinations', 'rename', 'Sandbox stream', 'Local stream');
    expect({ status: renamed.status, stdout: renamed.stdout, stderr: renamed.stderr }).toEqual({
      status: 0,
      stdout: 'Renamed the destination "Sandbox stream" to "Local stream".\n',
      stderr: '',
    });
    expect(run('sync', 'list').stdout).toMatch(/^Customers to sandbox\t.* → Local stream\t/m);
    const again = run('sync', 'run', 'Customers to sandbox', '--json');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'succeeded', counts: { unchanged: 2000, added: 0, acknowledged: 0 } });

    // The secret it moved is said by its new name (a script that rotates it must use that one).
    expect(run('destinations', 'rename', 'events', 'Events').stdout).toBe(
      'Renamed the destination "events" to "Events".\nIts secret "events/external-id" is now "Events/external-id".\n',
    );
    expect(run('secrets', 'list').stdout).toMatch(/^Events\/external-id\tos\t/);
    expect(run('export').stdout).toContain('externalId:\n        keychain: Events/external-id');

    // Its own name again, or with spaces around it: nothing is renamed, and it says so (it said 'Renamed … to " Events "').
    for (const same of ['Events', ' Events ']) {
      expect(run('destinations', 'rename', 'Events', same).stdout).toBe('The destination "Events" has that name already: nothing changed.\n');
    }
    // Refusals are one sentence, naming no field of the request.
    expect(run('destinations', 'rename', 'Events', 'Local stream').stderr).toBe(
      'sluice: A destination named "Local stream" already exists: choose another name\n',
    );
    expect(run('destinations', 'rename', 'Events', 'out!').stderr).toBe(
      'sluice: Could not rename the destination: the input is not valid — The new name starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)\n',
    );
    expect(run('destinations', 'rename', 'events', 'x').stderr).toBe('sluice: There is no destination named "events" (did you mean "Events"?)\n');
  }, 120_000); // some sixteen CLI processes, each starting the engine
});
