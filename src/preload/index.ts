/**
 * The preload: exposes `window.turnout`, one method per entry of the IPC contract, and
 * nothing else (no ipcRenderer, no Node). Built as CommonJS because sandboxed preloads cannot
 * be ES modules. Results are the IpcResult values from main; src/renderer/api.ts rethrows them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcContract, type TurnoutBridge } from '../shared/ipc';

function buildBridge(): TurnoutBridge {
  const bridge: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ipcContract)) {
    if (spec.kind === 'invoke') {
      bridge[name] = (...args: unknown[]) => ipcRenderer.invoke(spec.channel, ...args);
    } else {
      bridge[name] = (listener: (payload: unknown) => void) => {
        // Wrap so the renderer never sees the event object (it carries the sender).
        const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
        ipcRenderer.on(spec.channel, wrapped);
        return () => ipcRenderer.removeListener(spec.channel, wrapped);
      };
    }
  }
  return Object.freeze(bridge) as TurnoutBridge;
}

contextBridge.exposeInMainWorld('turnout', buildBridge());
