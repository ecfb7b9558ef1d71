import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** `<workspace>/sandbox/server.json`: which process serves the workspace's sandbox, and where. */
const ServerFileSchema = z.object({
  pid: z.number().int().positive(),
  endpoint: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/),
  startedAt: z.string(),
});
export type SandboxServer = z.infer<typeof ServerFileSchema>;

/** What the file says, or undefined when it is missing, unreadable or not ours (never throws). */
export function readServerFile(file: string): SandboxServer | undefined {
  try {
    const parsed = ServerFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all: to a temporary file, then renamed over the old one. */
export function writeServerFile(file: string, server: SandboxServer): void {
  const temp = path.join(path.dirname(file), `.server.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(temp, JSON.stringify(server) + '\n', { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Removes the file if it still names this server (a newer owner's is left alone). */
export function removeServerFile(file: string, server: SandboxServer): void {
  const now = readServerFile(file);
  if (now && now.pid === server.pid && now.endpoint === server.endpoint) fs.rmSync(file, { force: true });
}
