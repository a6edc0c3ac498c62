/**
 * Binds `window.turnout` in a Playwright page to IPC handlers in the test process, the way
 * the preload binds it to ipcMain: one method per contract entry, results as IpcResult values,
 * events pushed by channel.
 */
import type { Page } from 'playwright';
import { ipcContract, isInvokeName } from '../../src/shared/ipc';
import { dispatchIpc, type IpcHandlers } from '../../src/main/desktop/ipcDispatch';

type Contract = Record<string, { kind: 'invoke' | 'event'; channel: string }>;

/** Runs in the page before its scripts, like the preload. */
function defineBridge(contract: Contract): void {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const w = globalThis as unknown as {
    __turnoutInvoke: (name: string, args: unknown[]) => Promise<unknown>;
    __turnoutEmit: (channel: string, payload: unknown) => void;
  };
  w.__turnoutEmit = (channel, payload) => listeners.get(channel)?.forEach((listener) => listener(payload));
  const bridge: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(contract)) {
    bridge[name] =
      spec.kind === 'invoke'
        ? (...args: unknown[]) => w.__turnoutInvoke(name, args)
        : (listener: (payload: unknown) => void) => {
            if (!listeners.has(spec.channel)) listeners.set(spec.channel, new Set());
            listeners.get(spec.channel)!.add(listener);
            return () => listeners.get(spec.channel)!.delete(listener);
          };
  }
  Object.defineProperty(globalThis, 'turnout', { value: Object.freeze(bridge), writable: false });
}

export async function bindTurnout(page: Page, handlers: IpcHandlers): Promise<void> {
  await page.exposeBinding('__turnoutInvoke', (_source, name: string, args: unknown[]) => {
    if (!isInvokeName(name))
      return { ok: false, error: { kind: 'internal', message: `Unknown action ${name}` } };
    return dispatchIpc(handlers, name, args);
  });
  await page.addInitScript(defineBridge, JSON.parse(JSON.stringify(ipcContract)) as Contract);
}

/** Sends an event to the page, as webContents.send would. */
export async function emit(page: Page, channel: string, payload: unknown): Promise<void> {
  if (page.isClosed()) return;
  await page
    .evaluate(
      ([c, p]) =>
        (globalThis as unknown as { __turnoutEmit?: (c: string, p: unknown) => void }).__turnoutEmit?.(c, p),
      [channel, payload] as const,
    )
    .catch(() => undefined);
}
