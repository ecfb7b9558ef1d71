/**
 * Milliseconds on a steady clock, for a run's timing: the budget that stops a run whose destination
 * settles nothing (`unreachableMs`), retries' backoff, the send rate, and its progress (how often it
 * is reported, its rate and time left; set back, the wall clock held progress for the hour). The wall clock (Date.now)
 * jumps: an hour ahead on a laptop that woke from sleep, whose first answers are then network errors
 * (timed by it, such a run stopped at once, "could not be reached for 3600 s"), or back when it is set
 * right (a retry then waited the hour out). This one (the process's monotonic clock) is never set,
 * and does not move while Linux or macOS sleeps.
 */
export function steadyMs(): number {
  return performance.now();
}
