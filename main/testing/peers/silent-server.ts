import net from 'node:net';

/**
 * A black hole: a TCP server on 127.0.0.1 that accepts every connection and never answers (a hung
 * peer, or an address that is no Kafka listener). `accepted`: how many connections it has taken so
 * far (what a test waits on before it gives a client up). `close` drops the connections it holds.
 */
export async function startSilentServer(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  const held: net.Socket[] = [];
  const server = net.createServer((socket) => void held.push(socket)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
