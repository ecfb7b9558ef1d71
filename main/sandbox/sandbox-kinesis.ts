import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { SluiceError } from '../../shared/ipc/errors';
import { awsClientConfig } from '../aws/client-config';
import type { Logger } from '../log/logger';
import { processAlive } from '../state/process-alive';
import { loadLevelDown, storeProblem, tryLockFolder, type FolderLock } from './folder-lock';
import { readServerFile, removeServerFile, writeServerFile, type SandboxServer } from './server-file';
import { followSandboxMoves, type SandboxWhereabouts } from './follow-moves';
import { stopServing } from './stop-serving';

// kinesalite ships no types; this is the part of its API Sluice uses.
type KinesaliteFactory = (options: { createStreamMs: number; deleteStreamMs: number; updateStreamMs: number; shardLimit: number; path?: string }) => Server;

export const SANDBOX_CREDENTIALS = { accessKeyId: 'SLUICESANDBOX', secretAccessKey: 'sluice-sandbox-has-no-secret' };
export const SANDBOX_REGION = 'us-east-1';
/** How long a process waits for the workspace's sandbox while another one is starting it. */
const DISCOVER_MS = 20_000;
const RETRY_MS = 100;
const RECHECK_MS = 1000;

export interface SandboxOptions {
  /** The workspace whose sandbox this is: its records are kept there, shared by every process using it. Without one: in memory, this process only. */
  workspace?: string;
  log?: Logger;
}

/** The sandbox's files in a workspace. */
export function sandboxPaths(workspace: string) {
  const folder = path.join(workspace, 'sandbox');
  return { folder, store: path.join(folder, 'kinesis'), lock: path.join(folder, 'owner.lock'), serverFile: path.join(folder, 'server.json') };
}

/** Whether something listens at the endpoint's port now (a process on its way out may still be alive and named in server.json). */
function accepts(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 }));
  try {
    await client.send(new ListStreamsCommand({}), { abortSignal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function listen(server: Server): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function startKinesalite(store?: string): Server {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kinesalite = require('kinesalite') as KinesaliteFactory;
  return kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 64, ...(store ? { path: store } : {}) });
}

type Serving =
  | { kind: 'own'; endpoint: string; server: Server; lock?: FolderLock; file?: SandboxServer }
  | { kind: 'other'; endpoint: string; file: SandboxServer; checkedAt: number };

/**
 * The built-in sandbox: a real Kinesis implementation (kinesalite on 127.0.0.1), started the first time
 * a sandbox destination is used, so a new user can run a real sync and read the records back without a
 * cloud account.
 *
 * With a workspace, its records are kept on disk in `<workspace>/sandbox/kinesis` (kinesalite's LevelDB
 * store) and one server per workspace serves every process using it (the app, the CLI): the first
 * process that needs it takes `sandbox/owner.lock` (an OS file lock that dies with its process), starts
 * the server on the store and writes `sandbox/server.json` (pid, endpoint); the others use that server
 * while its process lives, and take over (same store, same records) when it has gone. So a record
 * `sluice sync run` sent is readable from the app afterwards, whichever started first.
 */
export class SandboxKinesis implements SandboxWhereabouts {
  private serving: Serving | undefined;
  private starting: Promise<Serving> | undefined;
  private readonly paths: ReturnType<typeof sandboxPaths> | undefined;
  private closed = false;

  constructor(private readonly options: SandboxOptions = {}) {
    this.paths = options.workspace ? sandboxPaths(options.workspace) : undefined;
  }

  async endpoint(): Promise<string> {
    // A closing process must not start the workspace's server again (a request retried during shutdown would, and keep the process alive).
    if (this.closed) throw new SluiceError('internal', 'The sandbox stream is closed: Sluice is shutting down');
    const current = this.serving;
    if (current?.kind === 'own') return current.endpoint;
    // Another process's server: looked at again (its file, its process, its port) at most once a second, not on every request.
    if (current && Date.now() - current.checkedAt < RECHECK_MS) return current.endpoint;
    if (current && this.stillServed(current.file) && (await accepts(current.endpoint))) {
      current.checkedAt = Date.now();
      return current.endpoint;
    }
    this.serving = undefined;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    this.serving = await this.starting;
    return this.serving.endpoint;
  }

  /** A request to the sandbox was refused at the connection: another process's server is looked at again on the next request, not a second later. */
  lookAgain(): void {
    if (this.serving?.kind === 'other') this.serving.checkedAt = 0;
  }

  /** Another process's server is still the workspace's: its process lives and the file still names it. */
  private stillServed(file: SandboxServer): boolean {
    const now = this.paths && readServerFile(this.paths.serverFile);
    return !!now && now.pid === file.pid && now.endpoint === file.endpoint && processAlive(file.pid);
  }

  private async start(): Promise<Serving> {
    const levelDown = this.paths && loadLevelDown();
    if (!this.paths || !levelDown) {
      if (this.paths) this.options.log?.warn('sandbox.in-memory', { reason: 'leveldown (kinesalite’s on-disk store) is not available' });
      const server = startKinesalite();
      return { kind: 'own', server, endpoint: await listen(server) };
    }
    const { folder, store, lock: lockFolder, serverFile } = this.paths;
    fs.mkdirSync(folder, { recursive: true });
    const deadline = Date.now() + DISCOVER_MS;
    let seen: SandboxServer | undefined;
    for (;;) {
      const file = readServerFile(serverFile);
      if (file && processAlive(file.pid) && (await answers(file.endpoint))) return { kind: 'other', endpoint: file.endpoint, file, checkedAt: Date.now() };
      seen = file ?? seen;
      const lock = await tryLockFolder(levelDown, lockFolder);
      if (lock) {
        try {
          return await this.serve(levelDown, lock, store, serverFile);
        } catch (err) {
          await lock.release();
          throw err;
        }
      }
      // Another process holds the lock: it is starting the server (or has, and the file is on its way).
      if (Date.now() > deadline) {
        throw new SluiceError(
          'internal',
          `The sandbox stream is held by another Sluice process using this workspace${seen ? ` (pid ${seen.pid})` : ''} that does not answer; ` +
            `close that Sluice, or wait and try again (${folder}).`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  /** This process holds the lock: any server file is a dead owner's. Start on the store, then say where. */
  private async serve(levelDown: NonNullable<ReturnType<typeof loadLevelDown>>, lock: FolderLock, store: string, serverFile: string): Promise<Serving> {
    fs.rmSync(serverFile, { force: true });
    const problem = await storeProblem(levelDown, store);
    if (problem) {
      // A damaged store is kept aside, not deleted; the sandbox starts empty.
      const aside = `${store}.damaged-${Date.now()}`;
      fs.renameSync(store, aside);
      this.options.log?.warn('sandbox.store-damaged', { store, movedTo: aside, error: problem.message });
    }
    const server = startKinesalite(store);
    const endpoint = await listen(server);
    // kinesalite opens its store in the background; a request before that fails ("cannot call iterator() before open()").
    for (const until = Date.now() + DISCOVER_MS; !(await answers(endpoint)) && Date.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    const file = { pid: process.pid, endpoint, startedAt: new Date().toISOString() };
    writeServerFile(serverFile, file);
    this.options.log?.info('sandbox.started', { endpoint, store });
    return { kind: 'own', server, endpoint, lock, file };
  }

  /** The endpoint, with the stream created if it does not exist yet. */
  async ensureStream(stream: string, shards: number): Promise<string> {
    const endpoint = await this.endpoint();
    // Asked per request, and followed when refused: the server may move to another process meanwhile.
    const client = followSandboxMoves(
      new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint: () => this.endpoint(), credentials: SANDBOX_CREDENTIALS })),
      this,
    );
    try {
      try {
        await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      } catch (err) {
        if ((err as Error).name !== 'ResourceNotFoundException') throw err;
        try {
          await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
        } catch (createErr) {
          // Another process created it meanwhile.
          if ((createErr as Error).name !== 'ResourceInUseException') throw createErr;
        }
        await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
      }
    } finally {
      client.destroy();
    }
    return this.serving?.endpoint ?? endpoint;
  }

  async close(): Promise<void> {
    this.closed = true;
    const starting = this.starting;
    this.starting = undefined;
    const serving = this.serving ?? (await starting?.catch(() => undefined));
    this.serving = undefined;
    if (serving?.kind !== 'own') return;
    // The file first: from now on nobody should start using this server.
    if (serving.file && this.paths) removeServerFile(this.paths.serverFile, serving.file);
    // No new request, those under way answered, then the store: a request must never meet a closed store (stop-serving.ts).
    await stopServing(serving.server, this.options.log);
    await serving.lock?.release();
  }
}
