import type { InitializeMiddleware } from '@smithy/types';

/**
 * AWS's "not authorized" answers turned into the missing permission: which action, on what, for whom.
 * AWS says e.g. `User: arn:aws:iam::123456789012:user/x is not authorized to perform:
 * kinesis:PutRecords on resource: arn:aws:kinesis:…:stream/orders because no identity-based policy allows…`.
 */

export const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

export interface MissingPermission {
  action: string;
  resource?: string;
  principal?: string;
}

export function missingPermission(message: string): MissingPermission | undefined {
  const action = /not authorized to perform:?\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
  if (!action) return undefined;
  const resource = /on resource:?\s*(\S+?)(?:\s|$|\.(?:\s|$))/.exec(message)?.[1];
  const principal = /^(?:User|Role):?\s*(\S+)\s+is not authorized/.exec(message)?.[1];
  return { action, ...(resource ? { resource } : {}), ...(principal ? { principal } : {}) };
}

/** The sentence a user reads: `Missing permission kinesis:PutRecords on …: add it to … (AWS said: …)`. */
export function describeAccessDenied(message: string, fallbackAction?: string): string {
  if (message.startsWith('Missing permission ')) return message; // already in words (nameMissingPermission)
  const m = missingPermission(message);
  const action = m?.action ?? fallbackAction;
  if (!action) return `Access denied: ${message}`;
  return `Missing permission ${action}${m?.resource ? ` on ${m.resource}` : ''}: add ${action} to the IAM policy of ${m?.principal ?? 'the identity Sluice uses'} (AWS said: ${message})`;
}

/** An answer whose body the SDK could not parse (`normalizeAwsError`): the request reached the endpoint, its answer is unknown. */
export const UNREADABLE_ANSWER = 'UnreadableAnswer';

/**
 * Some endpoints (emulators such as moto, some proxies) answer a JSON-protocol call with an XML error
 * body, which the SDK cannot parse: it throws a SyntaxError and the body is gone. A 403 answer is
 * still an access denial; the caller knows which action it asked for. Any other answer that is not
 * AWS's JSON (cut short, or a proxy's HTML page) is said in words, not as the SDK's "inspect the
 * hidden field {error}.$response", as `UnreadableAnswer` with its HTTP status.
 */
export function normalizeAwsError<E>(err: E): E {
  const e = err as unknown as Error & { name?: string; $metadata?: { httpStatusCode?: number } };
  if (!(e instanceof Error) || e.name !== 'SyntaxError') return err;
  const status = e.$metadata?.httpStatusCode;
  if (status === 403)
    return Object.assign(new Error('HTTP 403 Forbidden (the error body could not be read)'), { name: 'AccessDenied', $metadata: e.$metadata }) as unknown as E;
  if (status === undefined) return err;
  const reason = e.message.split('\n')[0]!.trim();
  const message =
    `The answer (HTTP ${status}) is not the JSON AWS sends, so what the request did is unknown: ${reason}. ` +
    'Something between Sluice and AWS (a proxy or gateway) may have cut or replaced it';
  return Object.assign(new Error(message), { name: UNREADABLE_ANSWER, $metadata: e.$metadata }) as unknown as E;
}

/**
 * A client whose AccessDenied answers say which action is missing, in the words above: the action is
 * AWS's when its message names one, else the call's own (`kinesis:GetRecords` for GetRecordsCommand).
 * For callers that show an error as it comes (the record inspector).
 */
export function nameMissingPermission<C extends { middlewareStack: { add(middleware: never, options: never): void } }>(client: C, service: string): C {
  const add = client.middlewareStack.add as (
    middleware: InitializeMiddleware<object, object>,
    options: { step: 'initialize'; name: string; override: boolean },
  ) => void;
  add.call(
    client.middlewareStack,
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (raw) {
        const err = normalizeAwsError(raw) as Error & { name?: string };
        if (!(err instanceof Error) || !ACCESS_DENIED_CODES.has(err.name ?? '')) throw raw;
        const action = `${service}:${(context.commandName ?? '').replace(/Command$/, '')}`;
        err.message = describeAccessDenied(err.message, action);
        throw err;
      }
    },
    { step: 'initialize', name: 'sluiceNameMissingPermission', override: true },
  );
  return client;
}
