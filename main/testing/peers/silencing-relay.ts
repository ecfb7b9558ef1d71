import net from 'node:net';

/** A TCP relay in front of a server that can go silent, and speak again. */
export interface SilencingRelay {
  port: number;
  /** From now on nothing crosses the relay either way, and new connections are taken and held unanswered: a network path that drops every packet. */
  silence(): void;
  /** New connections are relayed again (those held while silent stay silent). */
  speak(): void;
  close(): Promise<void>;
}

/** Starts a relay on 127.0.0.1 to `host:port` (see `SilencingRelay`). */
export async function startSilencingRelay(host: string, port: number): Promise<SilencingRelay> {
  let silent = false;
  const held: net.Socket[] = [];
  const relay = net.createServer((client) => {
    held.push(client);
    client.on('error', () => undefined);
    if (silent) return;
    const server = net.connect(port, host);
    held.push(server);
    server.on('error', () => undefined);
    // Each connection goes quiet for good once silenced: a relay that spoke again must not revive it.
    let quiet = false;
    const cut = () => quiet || (quiet = silent);
    client.on('data', (d) => void (cut() || server.write(d)));
    server.on('data', (d) => void (cut() || client.write(d)));
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as net.AddressInfo).port,
    silence: () => void (silent = true),
    speak: () => void (silent = false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of held) s.destroy();
        relay.close(() => resolve());
      }),
  };
}
