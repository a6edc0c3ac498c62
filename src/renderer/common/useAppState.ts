/** The app state from the main process, kept current by its change events. */
import { useEffect, useState } from 'react';
import type { AppState } from '../../shared/appState';
import { api } from './api';

export function useAppState(): AppState | null {
  const [state, setState] = useState<AppState | null>(null);
  useEffect(() => {
    let live = true;
    const unsubscribe = api.onState((next) => live && setState(next));
    void api.getState().then((initial) => live && setState((current) => current ?? initial));
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return state;
}
