import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../host/csp';
import { resolveStaticFile } from '../host/static-path';
import { rendererDist } from '../paths';
import { APP_SCHEME } from './origin';

export function registerSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Serves files from dist/renderer only, with the strict CSP; anything outside is a 404. */
export function serveRenderer(): void {
  const root = rendererDist();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const target = url.host === 'app' ? resolveStaticFile(root, url.pathname) : ({ ok: false, status: 404 } as const);
    if (!target.ok) return new Response(target.status === 400 ? 'Bad request' : 'Not found', { status: target.status });
    const file = target.file;
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
