/** A source silent this long (no answer, and no sign of life from the server) is said to be not answering in the run's progress. */
export const SILENCE_SHOWN_MS = 5000;
/**
 * A source silent this long while a read waits on it stops the read (code `unavailable`). Silence is
 * time with no word from the server at all: a query the server is busy with still answers the probe
 * (`ProbeAnswer`), so a slow query never counts, only a server (or a network path) that says nothing.
 */
export const SILENCE_LIMIT_MS = 5 * 60_000;
/** Tests shorten the limit with this (milliseconds); nothing else reads it. */
export const SILENCE_LIMIT_ENV = 'SLUICE_TEST_PG_SILENCE_LIMIT_MS';
/** A read waiting this long for its answer has the server probed (and again, once a probe is answered or given up). */
export const PROBE_AFTER_MS = 2000;
/** How long a probe waits for the server's word. */
export const PROBE_TIMEOUT_MS = 3000;

/** The limit a read of a source gives its silence: SILENCE_LIMIT_MS unless a test set SILENCE_LIMIT_ENV to a positive number. */
export function silenceLimitMs(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[SILENCE_LIMIT_ENV]);
  return Number.isFinite(set) && set > 0 ? set : SILENCE_LIMIT_MS;
}

/** What a read waiting on its source does next: wait on, probe the server, or give up. */
export type SilenceStep = 'wait' | 'probe' | 'give-up';

/**
 * The silence of a source a read waits on: since when a request waits, when the server last gave a
 * sign of life (an answer, or an answered probe), and whether a probe is out. Pure: times are given
 * (steady milliseconds), the reader probes and gives up as `step` says.
 */
export class SilenceWatch {
  /** When the request waiting now was made, or undefined when none waits. */
  private askedAt: number | undefined;
  /** The last sign of life since the request: its start, or an answered probe. */
  private heardAt = 0;
  private probing = false;
  private probedAt = Number.NEGATIVE_INFINITY;

  /** A request went to the server (a query, the next page of a cursor). */
  asked(now: number): void {
    this.askedAt = now;
    this.heardAt = now;
    this.probedAt = Number.NEGATIVE_INFINITY;
  }

  /** The request was answered (or failed): nothing waits. */
  answered(): void {
    this.askedAt = undefined;
  }

  /** A probe was answered (`alive`: the server said something) or given up. */
  probed(alive: boolean, now: number): void {
    this.probing = false;
    this.probedAt = now;
    if (alive && this.askedAt !== undefined) this.heardAt = now;
  }

  /** How long the server has said nothing while a request waits (0 when none waits). */
  silentMs(now: number): number {
    return this.askedAt === undefined ? 0 : now - this.heardAt;
  }

  /** What to do now: give up past `limitMs` of silence, probe once a request waits PROBE_AFTER_MS (one probe at a time), else wait. */
  step(now: number, limitMs: number): SilenceStep {
    if (this.askedAt === undefined) return 'wait';
    if (this.silentMs(now) >= limitMs) return 'give-up';
    if (this.probing || now - this.askedAt < PROBE_AFTER_MS || now - this.probedAt < PROBE_AFTER_MS) return 'wait';
    this.probing = true;
    return 'probe';
  }

  /** The silence to show in the run's progress: whole seconds, once it reached SILENCE_SHOWN_MS, else null. */
  shown(now: number): number | null {
    const ms = this.silentMs(now);
    return ms >= SILENCE_SHOWN_MS ? Math.floor(ms / 1000) : null;
  }
}
