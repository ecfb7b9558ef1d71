import fs from 'node:fs';

/** The state letter of each thread of `pid` (Linux /proc), or null where /proc does not tell (another OS, the process gone). */
function threadStates(pid: number): string[] | null {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const states: string[] = [];
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const end = stat.lastIndexOf(')'); // after the thread's name, which may hold spaces and parentheses
      states.push(stat.charAt(end + 2));
    } catch {
      // the thread ended
    }
  }
  return states;
}

/**
 * Waits until every thread of `pid` has stopped, after a SIGSTOP. kill(2) returns once the signal is queued:
 * the process stops when one of its threads takes the signal, and on a loaded machine the others go on
 * meanwhile (a Kafka broker answered a Metadata request sent 1 ms after its SIGSTOP, 5 ms later). Stops
 * waiting once `going()` is false (the process was let go on) or the process is gone.
 */
export async function untilStopped(pid: number, going: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = threadStates(pid);
    if (states === null || !going() || states.every((s) => s === 'T' || s === 't' || s === 'Z' || s === 'X')) return;
    if (Date.now() > deadline)
      throw new Error(`Process ${pid} did not stop within ${timeoutMs / 1000} s of its SIGSTOP (its threads' states: ${states.join('')})`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
