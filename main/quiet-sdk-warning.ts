/**
 * The AWS SDK warns every process on Node 20 that its releases after January 2027 need Node 22: a
 * note for whoever upgrades Sluice's dependencies (package.json's engines), nothing a user of this
 * build can act on. Entry points (CLI, browser host, Electron) turn it off unless set otherwise.
 */
export function quietAwsSdkNodeWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
