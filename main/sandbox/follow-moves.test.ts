import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { closeAfterEach } from '../testing/lifecycle';
import { followSandboxMoves } from './follow-moves';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from './sandbox-kinesis';

const closers = closeAfterEach();

/** An endpoint nobody listens at: a port just given back. */
async function goneEndpoint(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function liveEndpoint(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = (require('kinesalite') as (options: { createStreamMs: number }) => Server)({ createStreamMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A sandbox whose server has moved: where it was until it is looked for again, then where it is. */
function movedSandbox(was: string, is: string) {
  const sandbox = { lookedAgain: 0, endpoint: async () => (sandbox.lookedAgain > 0 ? is : was), lookAgain: () => void sandbox.lookedAgain++ };
  return sandbox;
}

function clientFor(sandbox: ReturnType<typeof movedSandbox>): KinesisClient {
  const client = followSandboxMoves(
    new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint: sandbox.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 })),
    sandbox,
  );
  closers.push(() => client.destroy());
  return client;
}

describe('a sandbox client following its server', () => {
  it('told the connection was refused, the sandbox looks again and the request goes to where the server is now', async () => {
    const sandbox = movedSandbox(await goneEndpoint(), await liveEndpoint());
    await expect(clientFor(sandbox).send(new ListStreamsCommand({}))).resolves.toMatchObject({ StreamNames: [] });
    expect(sandbox.lookedAgain).toBe(1);
  });

  it('gives up after a few refusals in a row, saying why', async () => {
    const gone = await goneEndpoint();
    const sandbox = movedSandbox(gone, gone);
    await expect(clientFor(sandbox).send(new ListStreamsCommand({}))).rejects.toThrow(/refused the connection 5 times in a row \(ECONNREFUSED/);
    expect(sandbox.lookedAgain).toBe(4);
  });
});
