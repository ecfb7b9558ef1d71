import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of a Kinesis or Firehose endpoint that produces the faults real local peers don't:
 * per-shard limits, ProvisionedThroughputExceeded for chosen records in a batch, ServiceUnavailable,
 * delays and dropped connections. Faults are scripted per test; every request is recorded.
 */

interface KinesisRecordIn {
  Data: string;
  PartitionKey: string;
  ExplicitHashKey?: string;
}
interface FirehoseRecordIn {
  Data: string;
}

export interface RecordedRequest {
  target: string;
  status: number;
  /** Records in a batch call, and which of them the proxy failed. */
  records?: number;
  failedByProxy?: number;
  fault?: string;
}

export interface ShardLimits {
  recordsPerSecond: number;
  bytesPerSecond: number;
}

type RecordSelector = (record: { index: number; partitionKey?: string; data: Buffer }) => boolean;

interface FailRule {
  select: RecordSelector;
  code: string;
  message: string;
  remaining: number;
}

const KINESIS_PUT_RECORDS = 'Kinesis_20131202.PutRecords';
const KINESIS_PUT_RECORD = 'Kinesis_20131202.PutRecord';
const FIREHOSE_PUT_BATCH = 'Firehose_20150804.PutRecordBatch';

export const THROTTLED = 'ProvisionedThroughputExceededException';
const THROTTLE_MESSAGE = 'Rate exceeded for shard in stream under account 000000000000.';

export class FaultProxy {
  readonly requests: RecordedRequest[] = [];
  /** Requests come in so far, answered or not (a held one is in `requests` only once answered). */
  received = 0;
  private failRules: FailRule[] = [];
  private scripted: { target: string; status: number; type: string; message: string; remaining: number }[] = [];
  private unavailable = 0;
  private drops = 0;
  private dropsAfter = 0;
  private cuts = 0;
  private delayMs = 0;
  private delayCount = 0;
  private limits: ShardLimits | undefined;
  private readonly shardWindows = new Map<string, { second: number; records: number; bytes: number }>();
  private readonly shardRanges = new Map<string, { shardId: string; start: bigint; end: bigint }[]>();

  private constructor(
    private readonly server: http.Server,
    readonly upstream: string,
  ) {}

  static async start(upstream: string): Promise<FaultProxy> {
    const server = http.createServer();
    const proxy = new FaultProxy(server, upstream);
    server.on('request', (req, res) => void proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Fail the selected records of the next `times` batch calls with `code` (default: throttled). */
  failRecords(select: RecordSelector, options: { code?: string; message?: string; times?: number } = {}): void {
    this.failRules.push({ select, code: options.code ?? THROTTLED, message: options.message ?? THROTTLE_MESSAGE, remaining: options.times ?? 1 });
  }

  /** Answer the next `times` requests for `target` (an X-Amz-Target) with an error of this type, as AWS would. */
  answerWithError(target: string, options: { status: number; type: string; message: string; times?: number }): void {
    this.scripted.push({ target, status: options.status, type: options.type, message: options.message, remaining: options.times ?? 1 });
  }

  /** Answer the next `times` requests with 503 ServiceUnavailable. */
  serviceUnavailable(times = 1): void {
    this.unavailable += times;
  }

  /** Close the connection of the next `times` requests without answering. */
  dropConnections(times = 1): void {
    this.drops += times;
  }

  /**
   * Forward the next `times` requests to the upstream (which acts on them: records are written), then
   * close the connection without passing the answer on: the client cannot know they went through.
   */
  dropAnswers(times = 1): void {
    this.dropsAfter += times;
  }

  /**
   * Forward the next `times` PutRecords requests to the upstream (which writes their records), then answer
   * 200 with the first half of its answer's body: an answer cut short on the way that still reads as whole.
   */
  cutAnswers(times = 1): void {
    this.cuts += times;
  }

  /** Hold the next `times` requests for `ms` before forwarding them. */
  delay(ms: number, times = 1): void {
    this.delayMs = ms;
    this.delayCount = times;
  }

  /** Enforce Kinesis' per-shard write limits (1,000 records/s and 1 MB/s by default). */
  enforceShardLimits(limits: ShardLimits = { recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 }): void {
    this.limits = limits;
  }

  reset(): void {
    this.failRules = [];
    this.scripted = [];
    this.unavailable = this.drops = this.dropsAfter = this.cuts = this.delayCount = 0;
    this.limits = undefined;
    this.shardWindows.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.received++;
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = await readBody(req);
    if (this.drops > 0) {
      this.drops--;
      this.requests.push({ target, status: 0, fault: 'dropped' });
      req.socket.destroy();
      return;
    }
    const scripted = this.scripted.find((s) => s.target === target && s.remaining > 0);
    if (scripted) {
      scripted.remaining--;
      this.requests.push({ target, status: scripted.status, fault: scripted.type });
      sendJson(res, scripted.status, { __type: scripted.type, message: scripted.message });
      return;
    }
    if (this.unavailable > 0) {
      this.unavailable--;
      this.requests.push({ target, status: 503, fault: 'unavailable' });
      sendJson(res, 503, { __type: 'ServiceUnavailableException', message: 'Service Unavailable (injected by the Sluice test fault proxy)' });
      return;
    }
    if (this.delayCount > 0) {
      this.delayCount--;
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
    if (this.dropsAfter > 0 && target === KINESIS_PUT_RECORDS) {
      this.dropsAfter--;
      const upstream = await this.forward(req, body);
      this.requests.push({ target, status: upstream.status, fault: 'answer-dropped' });
      req.socket.destroy();
      return;
    }
    if (this.cuts > 0 && target === KINESIS_PUT_RECORDS) {
      this.cuts--;
      const upstream = await this.forward(req, body);
      this.requests.push({ target, status: upstream.status, fault: 'answer-cut' });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
      return;
    }
    try {
      if (target === KINESIS_PUT_RECORDS) return await this.putRecords(req, res, body);
      if (target === KINESIS_PUT_RECORD && this.limits) return await this.putRecord(req, res, body, target);
      if (target === FIREHOSE_PUT_BATCH) return await this.putRecordBatch(req, res, body);
      const upstream = await this.forward(req, body);
      this.requests.push({ target, status: upstream.status });
      send(res, upstream);
    } catch (err) {
      sendJson(res, 502, { __type: 'ProxyError', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private async putRecords(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const input = JSON.parse(body.toString()) as { StreamName?: string; StreamARN?: string; Records: KinesisRecordIn[] };
    const stream = input.StreamName ?? input.StreamARN ?? '';
    const failures = this.ruleFailures(input.Records.map((r, index) => ({ index, partitionKey: r.PartitionKey, data: Buffer.from(r.Data, 'base64') })));
    if (this.limits) {
      const shards = await this.shardsOf(req, stream, input.StreamARN !== undefined);
      input.Records.forEach((r, index) => {
        if (failures.has(index)) return;
        const shardId = shardFor(shards, r);
        if (shardId && !this.admit(`${stream}/${shardId}`, Buffer.from(r.Data, 'base64').length + Buffer.byteLength(r.PartitionKey))) {
          failures.set(index, { code: THROTTLED, message: `Rate exceeded for shard ${shardId} in stream ${stream} under account 000000000000.` });
        }
      });
    }
    const passing = input.Records.filter((_, i) => !failures.has(i));
    let upstreamRecords: { SequenceNumber?: string; ShardId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
    let encryption: string | undefined;
    if (passing.length > 0) {
      const upstream = await this.forward(req, Buffer.from(JSON.stringify({ ...input, Records: passing })));
      if (upstream.status !== 200) {
        this.requests.push({ target: KINESIS_PUT_RECORDS, status: upstream.status, records: input.Records.length });
        return send(res, upstream);
      }
      const parsed = JSON.parse(upstream.body.toString()) as { Records: typeof upstreamRecords; EncryptionType?: string };
      upstreamRecords = parsed.Records;
      encryption = parsed.EncryptionType;
    }
    let next = 0;
    const records = input.Records.map((_, i) => {
      const failure = failures.get(i);
      return failure ? { ErrorCode: failure.code, ErrorMessage: failure.message } : upstreamRecords[next++]!;
    });
    const failed = records.filter((r) => r.ErrorCode).length;
    this.requests.push({ target: KINESIS_PUT_RECORDS, status: 200, records: input.Records.length, failedByProxy: failures.size });
    sendJson(res, 200, { FailedRecordCount: failed, Records: records, ...(encryption ? { EncryptionType: encryption } : {}) });
  }

  private async putRecord(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, target: string): Promise<void> {
    const input = JSON.parse(body.toString()) as KinesisRecordIn & { StreamName?: string; StreamARN?: string };
    const stream = input.StreamName ?? input.StreamARN ?? '';
    const shards = await this.shardsOf(req, stream, input.StreamARN !== undefined);
    const shardId = shardFor(shards, input);
    if (shardId && !this.admit(`${stream}/${shardId}`, Buffer.from(input.Data, 'base64').length + Buffer.byteLength(input.PartitionKey))) {
      this.requests.push({ target, status: 400, fault: 'throttled' });
      return sendJson(res, 400, { __type: THROTTLED, message: `Rate exceeded for shard ${shardId} in stream ${stream} under account 000000000000.` });
    }
    const upstream = await this.forward(req, body);
    this.requests.push({ target, status: upstream.status });
    send(res, upstream);
  }

  private async putRecordBatch(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const input = JSON.parse(body.toString()) as { DeliveryStreamName: string; Records: FirehoseRecordIn[] };
    const failures = this.ruleFailures(input.Records.map((r, index) => ({ index, data: Buffer.from(r.Data, 'base64') })));
    const passing = input.Records.filter((_, i) => !failures.has(i));
    let upstreamResponses: { RecordId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
    let encrypted = false;
    if (passing.length > 0) {
      const upstream = await this.forward(req, Buffer.from(JSON.stringify({ ...input, Records: passing })));
      if (upstream.status !== 200) return send(res, upstream);
      const parsed = JSON.parse(upstream.body.toString()) as { RequestResponses: typeof upstreamResponses; Encrypted?: boolean };
      upstreamResponses = parsed.RequestResponses;
      encrypted = parsed.Encrypted ?? false;
    }
    let next = 0;
    const responses = input.Records.map((_, i) => {
      const f = failures.get(i);
      return f ? { ErrorCode: f.code, ErrorMessage: f.message } : upstreamResponses[next++]!;
    });
    this.requests.push({ target: FIREHOSE_PUT_BATCH, status: 200, records: input.Records.length, failedByProxy: failures.size });
    sendJson(res, 200, { FailedPutCount: responses.filter((r) => r.ErrorCode).length, Encrypted: encrypted, RequestResponses: responses });
  }

  /** The failures the scripted rules choose for a batch; each rule that fired counts one use. */
  private ruleFailures(records: { index: number; partitionKey?: string; data: Buffer }[]): Map<number, { code: string; message: string }> {
    const failures = new Map<number, { code: string; message: string }>();
    const fired = new Set<FailRule>();
    for (const record of records) {
      const rule = this.failRules.find((r) => r.remaining > 0 && r.select(record));
      if (!rule) continue;
      failures.set(record.index, { code: rule.code, message: rule.message });
      fired.add(rule);
    }
    for (const rule of fired) rule.remaining--;
    return failures;
  }

  /** Count a record against its shard's one-second window; false when it would exceed a limit. */
  private admit(shardKey: string, bytes: number): boolean {
    const limits = this.limits!;
    const second = Math.floor(Date.now() / 1000);
    let window = this.shardWindows.get(shardKey);
    if (!window || window.second !== second) {
      window = { second, records: 0, bytes: 0 };
      this.shardWindows.set(shardKey, window);
    }
    if (window.records + 1 > limits.recordsPerSecond || window.bytes + bytes > limits.bytesPerSecond) return false;
    window.records += 1;
    window.bytes += bytes;
    return true;
  }

  private async shardsOf(req: http.IncomingMessage, stream: string, isArn: boolean) {
    const cached = this.shardRanges.get(stream);
    if (cached) return cached;
    const listBody = Buffer.from(JSON.stringify(isArn ? { StreamARN: stream } : { StreamName: stream }));
    const upstream = await this.forward(req, listBody, 'Kinesis_20131202.ListShards');
    const parsed = JSON.parse(upstream.body.toString()) as { Shards?: { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }[] };
    const shards = (parsed.Shards ?? []).map((s) => ({
      shardId: s.ShardId,
      start: BigInt(s.HashKeyRange.StartingHashKey),
      end: BigInt(s.HashKeyRange.EndingHashKey),
    }));
    this.shardRanges.set(stream, shards);
    return shards;
  }

  /** Forward to the upstream with the original headers (the local peers do not verify signatures). */
  private forward(req: http.IncomingMessage, body: Buffer, target?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const url = new URL(req.url ?? '/', this.upstream);
    const headers = { ...req.headers, host: url.host, 'content-length': String(body.length), ...(target ? { 'x-amz-target': target } : {}) };
    return new Promise((resolve, reject) => {
      const out = http.request(url, { method: req.method, headers }, (upstream) => {
        void readBody(upstream).then((b) => resolve({ status: upstream.statusCode ?? 502, headers: upstream.headers, body: b }), reject);
      });
      out.once('error', reject);
      out.end(body);
    });
  }
}

function shardFor(shards: { shardId: string; start: bigint; end: bigint }[], record: KinesisRecordIn): string | undefined {
  const hash = record.ExplicitHashKey ? BigInt(record.ExplicitHashKey) : BigInt(`0x${createHash('md5').update(record.PartitionKey, 'utf8').digest('hex')}`);
  return shards.find((s) => s.start <= hash && hash <= s.end)?.shardId;
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(text.length),
    'x-amzn-requestid': `fault-proxy-${Date.now()}`,
  });
  res.end(text);
}

function send(res: http.ServerResponse, upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer }): void {
  const headers = { ...upstream.headers, 'content-length': String(upstream.body.length) };
  delete headers['transfer-encoding'];
  res.writeHead(upstream.status, headers);
  res.end(upstream.body);
}
