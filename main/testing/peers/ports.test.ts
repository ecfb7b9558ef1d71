import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, startOnFreePorts } from './ports';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const close = (s: net.Server) => new Promise((resolve) => s.close(resolve));

describe('starting a peer on free ports', () => {
  it('starts again on a new port when its port was taken in between (EADDRINUSE)', async () => {
    const squatter = await listen(await freePort());
    const taken = (squatter.address() as net.AddressInfo).port;
    const tried: number[] = [];
    const server = await startOnFreePorts(async () => {
      const port = tried.length === 0 ? taken : await freePort();
      tried.push(port);
      return listen(port);
    });
    expect(tried).toHaveLength(2);
    expect(tried[0]).toBe(taken);
    expect((server.address() as net.AddressInfo).port).toBe(tried[1]);
    await Promise.all([close(server), close(squatter)]);
  });

  it('throws any other failure at once, and a clash that keeps happening after the last attempt', async () => {
    let calls = 0;
    await expect(startOnFreePorts(() => (calls++, Promise.reject(new Error('Kafka exited: bad config'))))).rejects.toThrow('bad config');
    expect(calls).toBe(1);
    calls = 0;
    await expect(startOnFreePorts(() => (calls++, Promise.reject(new Error('BindException: Address already in use'))), 3)).rejects.toThrow(
      'Address already in use',
    );
    expect(calls).toBe(3);
  });
});
