// Entry of the browser host: `npm run dev:web`, the Playwright suite, and `npm start` where the
// Electron binary is missing. Prints the URL to open; the token in it is needed to talk to the engine.
import { Command } from 'commander';
import { Engine } from '../engine/engine';
import { resolveWorkspace } from '../engine/workspace';
import { rendererDist } from '../paths';
import { openInBrowser } from './open-browser';
import { startHost } from './server';
import { quietAwsSdkNodeWarning } from '../quiet-sdk-warning';

const program = new Command('sluice-host')
  .description('Serve the Sluice UI on 127.0.0.1 without Electron')
  .option('--workspace <dir>', 'state folder (default: SLUICE_HOME or the user-data folder)')
  .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', (v) => Number.parseInt(v, 10))
  .option('--open', 'open the URL in the default browser')
  .option('--json', 'print one JSON line with url, origin and token (for tests)')
  .option('--no-demo', 'do not create the demo on a new workspace (start empty)')
  .parse();

const opts = program.opts<{ workspace?: string; port?: number; json?: boolean; open?: boolean; demo: boolean }>();

async function main(): Promise<void> {
  quietAwsSdkNodeWarning();
  const workspace = resolveWorkspace(opts.workspace);
  const engine = await Engine.open({ workspace, runtime: 'browser-host', seedDemo: opts.demo, declineDemo: !opts.demo });
  const host = await startHost({ engine, rendererDir: rendererDist(), port: opts.port });
  if (opts.json) {
    process.stdout.write(JSON.stringify({ ready: true, url: host.url, origin: host.origin, workspace }) + '\n');
  } else {
    process.stdout.write(`Sluice is running at ${host.url}\n(workspace: ${workspace}; press Ctrl+C to stop)\n`);
  }
  // Through a private redirect file: the token must not appear in the opener's command line.
  if (opts.open) openInBrowser(host.url);
  const stop = () => {
    void host
      .close()
      .then(() => engine.shutdown())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Sluice could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
