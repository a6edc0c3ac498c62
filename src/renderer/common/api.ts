/**
 * The renderer's view of `window.turnout`: the same methods, with failures (which cross IPC
 * as values) thrown again as TurnoutError so components can use try/catch and show the
 * message next to the field it names.
 */
import {
  ipcContract,
  type IpcErrorValue,
  type IpcResult,
  type TurnoutApi,
  type TurnoutBridge,
} from '../../shared/ipc';

export class TurnoutError extends Error {
  readonly field?: string;
  readonly kind: IpcErrorValue['kind'];

  constructor(value: IpcErrorValue) {
    super(value.message);
    this.name = 'TurnoutError';
    this.field = value.field;
    this.kind = value.kind;
  }
}

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new TurnoutError(result.error);
}

function createApi(bridge: TurnoutBridge): TurnoutApi {
  const api: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ipcContract)) {
    const method = (bridge as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    api[name] =
      spec.kind === 'invoke'
        ? async (...args: unknown[]) => unwrap((await method(...args)) as IpcResult<unknown>)
        : method;
  }
  return api as TurnoutApi;
}

export const api = createApi(window.turnout);
