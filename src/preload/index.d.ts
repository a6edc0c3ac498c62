import type { TurnoutBridge } from '../shared/ipc';

declare global {
  interface Window {
    /** Defined by the preload (src/preload/index.ts); one method per IPC contract entry. */
    readonly turnout: TurnoutBridge;
  }
}

export {};
