/** Finds a port the proxy can listen on, for the "port in use" offer in Settings. */
import { createServer } from 'node:net';

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The first free port after `from` (trying `tries` ports), or one the OS picks. */
export async function findFreePort(host: string, from: number, tries = 20): Promise<number> {
  for (let port = from + 1; port < Math.min(from + 1 + tries, 65536); port += 1) {
    if (await canListen(host, port)) return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
