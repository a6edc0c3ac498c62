import type { SwitchyardBridge } from '../shared/ipc';

declare global {
  interface Window {
    /** Defined by the preload (src/preload/index.ts); one method per IPC contract entry. */
    readonly switchyard: SwitchyardBridge;
  }
}

export {};
