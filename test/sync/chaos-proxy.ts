import { after } from 'node:test';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ChaosStats {
  connections: number;
  /** Closed at once, nothing forwarded. */
  dropped: number;
  /** Cut once the server had sent a random number of bytes back (1-9 KB): mid-handshake, or after a request was handled (a lost answer). */
  cut: number;
  delayed: number;
}

/**
 * A loopback TCP proxy in front of the sync server (TLS passes through it untouched: the point's pin
 * still holds). In chaos mode each connection may be dropped, delayed, or cut after the server sent
 * 1-9 KB back, which lands in the handshake, in the middle of an answer or after a committed push
 * whose answer then never arrives (one sync, hello + push + pull, is a few KB). The target port can change (the server restarted).
 */
export async function chaosProxy(random: () => number, target: () => number): Promise<{ port: number; stats: ChaosStats; calm(): void }> {
  const stats: ChaosStats = { connections: 0, dropped: 0, cut: 0, delayed: 0 };
  let chaos = true;
  const open = new Set<Socket>();
  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = createServer((client) => {
    track(client);
    stats.connections += 1;
    // On a fixed schedule every 12th connection is dropped, another is cut at the server's first byte
    // (mid-handshake) and every 3rd gets a random cut budget, so a run always has drops and cuts however
    // the seeded draws fall between the points' interleaved connections.
    if (chaos && stats.connections % 12 === 5) {
      stats.dropped += 1;
      client.destroy();
      return;
    }
    const delay = chaos && random() < 0.3 ? Math.floor(random() * 200) : 0;
    if (delay > 0) stats.delayed += 1;
    const budget = !chaos ? Number.POSITIVE_INFINITY : stats.connections % 12 === 9 ? 0 : stats.connections % 3 === 1 ? 1_000 + Math.floor(random() * 8_000) : Number.POSITIVE_INFINITY;
    client.pause();
    setTimeout(() => {
      const upstream = connect(target(), '127.0.0.1');
      track(upstream);
      upstream.on('connect', () => {
        client.pipe(upstream);
        client.resume();
      });
      let back = 0;
      upstream.on('data', (chunk: Buffer) => {
        back += chunk.length;
        if (back > budget) {
          stats.cut += 1;
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(chunk);
      });
      upstream.on('end', () => client.end());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(
    () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    port: (server.address() as AddressInfo).port,
    stats,
    calm: () => {
      chaos = false;
    },
  };
}
