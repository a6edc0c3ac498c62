/**
 * The renderer's view of `window.switchyard`: the same methods, with failures (which cross IPC
 * as values) thrown again as SwitchyardError so components can use try/catch and show the
 * message next to the field it names.
 */
import {
  ipcContract,
  type IpcErrorValue,
  type IpcResult,
  type SwitchyardApi,
  type SwitchyardBridge,
} from '../../shared/ipc';

export class SwitchyardError extends Error {
  readonly field?: string;
  readonly kind: IpcErrorValue['kind'];

  constructor(value: IpcErrorValue) {
    super(value.message);
    this.name = 'SwitchyardError';
    this.field = value.field;
    this.kind = value.kind;
  }
}

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new SwitchyardError(result.error);
}

function createApi(bridge: SwitchyardBridge): SwitchyardApi {
  const api: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ipcContract)) {
    const method = (bridge as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    api[name] =
      spec.kind === 'invoke'
        ? async (...args: unknown[]) => unwrap((await method(...args)) as IpcResult<unknown>)
        : method;
  }
  return api as SwitchyardApi;
}

export const api = createApi(window.switchyard);
