/**
 * One Content-Security-Policy for the renderer, in Electron and in the browser host: nothing from
 * a remote origin. `connectSrc` adds the host's own WebSocket endpoint.
 * Monaco injects style elements and runs its workers from blob: URLs, hence those two allowances.
 */
export function contentSecurityPolicy(connectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
