import type { CapturePart } from '../../shared/config/capture';

/** What each reader has done so far; read by the app's Capture view and the CLI's summary. */
export class CaptureProgress {
  private readonly parts = new Map<string, CapturePart>();

  set(part: string, patch: Partial<Omit<CapturePart, 'part'>>): void {
    const current = this.parts.get(part) ?? { part, state: 'waiting' as const, captured: 0, position: null };
    this.parts.set(part, { ...current, ...patch });
  }

  add(part: string, records: number, position: string | null): void {
    const current = this.parts.get(part) ?? { part, state: 'reading' as const, captured: 0, position: null };
    this.parts.set(part, { ...current, captured: current.captured + records, position: position ?? current.position });
  }

  /** Readers that were reading (not finished) when the capture was stopped. */
  stopAll(): void {
    for (const [k, p] of this.parts)
      if (p.state === 'reading' || p.state === 'caught-up' || p.state === 'waiting') this.parts.set(k, { ...p, state: 'stopped' });
  }

  list(): CapturePart[] {
    return [...this.parts.values()].sort((a, b) => a.part.localeCompare(b.part, undefined, { numeric: true }));
  }

  get total(): number {
    let n = 0;
    for (const p of this.parts.values()) n += p.captured;
    return n;
  }
}
