// The app's captures: started and stopped through the contract, their counts read by the Capture view.
import path from 'node:path';
import type { CaptureStatus, StartCapture } from '../../shared/config/capture';
import { StartCaptureSchema } from '../../shared/config/capture';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import { CaptureProgress } from './capture-progress';
import { openCapture } from './capture';

interface Running {
  status: Omit<CaptureStatus, 'parts' | 'captured'>;
  progress: CaptureProgress;
  controller: AbortController;
  done: Promise<void>;
}

export class CaptureManager {
  private readonly captures = new Map<number, Running>();
  private nextId = 1;

  constructor(private readonly engine: EngineServices) {}

  async start(input: StartCapture): Promise<CaptureStatus> {
    const request = StartCaptureSchema.parse(input);
    const file = path.resolve(request.file);
    for (const c of this.captures.values()) {
      if (c.status.file === file && (c.status.state === 'running' || c.status.state === 'stopping')) {
        throw new SluiceError('conflict', `${file} is already being captured into (capture ${c.status.id}): stop it first, or choose another file`);
      }
    }
    const handle = await openCapture(this.engine, { ...request, file });
    const id = this.nextId++;
    const controller = new AbortController();
    const progress = new CaptureProgress();
    const status: Running['status'] = {
      id,
      destination: request.destination,
      target: handle.target,
      file,
      format: handle.sink.format,
      mode: request.mode,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      error: null,
    };
    this.engine.log.info('capture.started', { id, destination: request.destination, file, mode: request.mode });
    const done = handle.run(controller.signal, progress).then(
      () => {
        status.state = controller.signal.aborted ? 'stopped' : 'done';
      },
      (err: unknown) => {
        status.state = 'failed';
        status.error = this.engine.redactor.redact(err instanceof Error ? err.message : String(err));
        this.engine.log.warn('capture.failed', { id, error: status.error });
      },
    );
    const running: Running = {
      status,
      progress,
      controller,
      done: done.finally(() => {
        status.endedAt = new Date().toISOString();
        this.engine.log.info('capture.ended', { id, state: status.state, captured: progress.total });
      }),
    };
    this.captures.set(id, running);
    return this.statusOf(running);
  }

  async stop(id: number): Promise<CaptureStatus> {
    const c = this.captures.get(id);
    if (!c) throw new SluiceError('not-found', `There is no capture ${id}`);
    if (c.status.state === 'running') c.status.state = 'stopping';
    c.controller.abort();
    await c.done;
    return this.statusOf(c);
  }

  list(): CaptureStatus[] {
    return [...this.captures.values()].map((c) => this.statusOf(c)).reverse();
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.captures.keys()].map((id) => this.stop(id)));
  }

  private statusOf(c: Running): CaptureStatus {
    return { ...c.status, captured: c.progress.total, parts: c.progress.list() };
  }
}

const managers = new WeakMap<EngineServices, CaptureManager>();

/** The engine's captures (one manager per engine). */
export function capturesOf(engine: EngineServices): CaptureManager {
  let m = managers.get(engine);
  if (!m) managers.set(engine, (m = new CaptureManager(engine)));
  return m;
}

/** Stops the engine's captures, if it has any (engine shutdown). */
export async function stopCaptures(engine: EngineServices): Promise<void> {
  await managers.get(engine)?.stopAll();
}
