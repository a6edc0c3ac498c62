/**
 * Stands in for the `when-exit` package in the desktop build (an alias in electron.vite.config.ts).
 * electron-store → conf → atomically loads it to delete temporary files at exit, and at load it
 * hooks 10+ process signals: on SIGTERM or SIGINT it runs its callbacks and then re-sends the
 * signal with no listener left, which kills the app before its own graceful quit can run. Here
 * the callbacks run at process exit only; signals are left to the app (see ../index.ts).
 */
const callbacks = new Set<() => void>();

process.once('exit', () => {
  for (const callback of callbacks) callback();
});

export default function whenExit(callback: () => void): () => void {
  callbacks.add(callback);
  return () => callbacks.delete(callback);
}
