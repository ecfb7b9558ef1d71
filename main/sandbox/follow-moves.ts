import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { SluiceError } from '../../shared/ipc/errors';

/** What a client following the workspace's sandbox needs of it. */
export interface SandboxWhereabouts {
  /** A request was refused at the connection: the next endpoint asked for is looked up again, not taken from the last look. */
  lookAgain(): void;
}

/** The server a request went to has gone, or is going: it refused or dropped the connection. */
const SERVER_GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
/** Refusals in a row before a request gives up: each try waits for a take-over under way (SandboxKinesis.endpoint), so more would only repeat a server that keeps refusing. */
const MOST_REFUSALS = 5;
const BACKOFF_MS = 100;

function serverGone(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && SERVER_GONE.has(code) ? code : undefined;
}

/**
 * Retries a call refused at the connection with the endpoint asked again: the SDK's own retries reuse the
 * request it already built for the old endpoint, and the workspace's sandbox server may have moved to
 * another process meanwhile. The sandbox is told first, so the next endpoint is looked up (and a take-over
 * under way waited for) rather than the gone server's taken from the last look.
 */
export function followSandboxMoves(client: KinesisClient, sandbox: SandboxWhereabouts): KinesisClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      for (let refusals = 1; ; refusals++) {
        try {
          return await next(args);
        } catch (err) {
          const code = serverGone(err);
          if (!code) throw err;
          if (refusals >= MOST_REFUSALS) {
            throw new SluiceError(
              'internal',
              `The sandbox server refused the connection ${MOST_REFUSALS} times in a row (${code}: ${(err as Error).message}), ` +
                'though each try looked again for the Sluice process serving this workspace’s sandbox; try again.',
            );
          }
          sandbox.lookAgain();
          await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * refusals));
        }
      }
    },
    { step: 'initialize', name: 'sluiceFollowSandboxMoves' },
  );
  return client;
}
