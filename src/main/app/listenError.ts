/**
 * What to tell the user when the proxy cannot listen, per platform: the causes of EACCES differ.
 * On Linux (and old macOS) ports below 1024 need privileges; on Windows any port can be refused
 * because Hyper-V, WSL or Docker reserved the range it lies in, and moving above 1024 does not help.
 */
export function listenErrorMessage(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  platform: NodeJS.Platform = process.platform,
): string {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${port} is already in use (${where}); choose another port.`;
    case 'EADDRNOTAVAIL':
      return `The address ${host} is not available on this machine.`;
    case 'EACCES':
      if (platform === 'win32') {
        return (
          `Windows refused to let Turnout listen on ${where}: the port is probably in a range reserved ` +
          'by Hyper-V, WSL or Docker (`netsh interface ipv4 show excludedportrange protocol=tcp` lists ' +
          'them) or blocked by security software; choose another port.'
        );
      }
      if (port < 1024) {
        return `Not allowed to listen on ${where}: ports below 1024 need administrator rights; choose a port above 1024.`;
      }
      return `Not allowed to listen on ${where} (a security policy refused it); choose another port.`;
    default:
      return `Could not listen on ${where}: ${error.message}`;
  }
}
