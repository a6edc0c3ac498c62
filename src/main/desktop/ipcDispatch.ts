/**
 * Runs one IPC handler and turns its outcome into a value that survives the trip to the
 * renderer. A UserError keeps its message and field (shown next to the form field); anything
 * else becomes a generic message so internals (paths, stack traces) stay in the main process.
 */
import type { InvokeArgs, InvokeName, InvokeResult, IpcErrorValue, IpcResult } from '../../shared/ipc';
import { UserError } from '../app/userError';

export type IpcHandlers = {
  [K in InvokeName]: (...args: InvokeArgs<K>) => Promise<InvokeResult<K>> | InvokeResult<K>;
};

export function toIpcError(error: unknown): IpcErrorValue {
  if (error instanceof UserError) return { kind: 'user', message: error.message, field: error.field };
  return { kind: 'internal', message: 'Something went wrong in Turnout; the details are in its log.' };
}

export async function dispatchIpc<K extends InvokeName>(
  handlers: IpcHandlers,
  name: K,
  args: unknown[],
  onInternalError: (name: string, error: unknown) => void = (n, e) => console.error(`[ipc] ${n} failed:`, e),
): Promise<IpcResult<InvokeResult<K>>> {
  const handler = handlers[name] as (...a: unknown[]) => Promise<InvokeResult<K>> | InvokeResult<K>;
  if (typeof handler !== 'function') {
    return { ok: false, error: { kind: 'internal', message: `Unknown action "${String(name)}".` } };
  }
  try {
    return { ok: true, value: await handler(...(Array.isArray(args) ? args : [])) };
  } catch (error) {
    if (!(error instanceof UserError)) onInternalError(name, error);
    return { ok: false, error: toIpcError(error) };
  }
}
