/**
 * Registers every invoke channel of the contract with ipcMain. Messages from anything other
 * than our own windows are refused (an error value, no handler runs).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ipcContract, isInvokeName, type IpcResult } from '../../shared/ipc';
import { dispatchIpc, type IpcHandlers } from './ipcDispatch';

export function registerIpcHandlers(
  handlers: IpcHandlers,
  isTrustedSender: (webContentsId: number, frameUrl: string | undefined) => boolean,
): () => void {
  const channels: string[] = [];
  for (const [name, spec] of Object.entries(ipcContract)) {
    if (!isInvokeName(name)) continue;
    channels.push(spec.channel);
    ipcMain.handle(
      spec.channel,
      async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<IpcResult<unknown>> => {
        if (!isTrustedSender(event.sender.id, event.senderFrame?.url)) {
          return {
            ok: false,
            error: { kind: 'internal', message: 'This window may not control Turnout.' },
          };
        }
        return dispatchIpc(handlers, name, args);
      },
    );
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}
