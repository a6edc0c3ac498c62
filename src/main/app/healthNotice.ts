/**
 * What to tell the user when a provider's health changes, as a pure function: the desktop shows
 * it as a notification, headless mode prints it. Only the active provider's transitions are
 * news — down, refusing its key, and recovered; probes starting and ending are not.
 */
import type { AppState } from '../../shared/appState';
import type { HealthState } from '../proxy/routing';

export interface HealthNotice {
  title: string;
  body: string;
}

export function healthNotice(
  state: AppState,
  change: { id: string; before: HealthState; after: HealthState },
): HealthNotice | null {
  if (change.id !== state.settings.activeProvider) return null;
  const label = state.providers.find((p) => p.id === change.id)?.label ?? change.id;
  const health = state.health.find((h) => h.id === change.id);
  const fallbacks = state.settings.fallbackProviders;
  const serving =
    fallbacks.length > 0
      ? `Requests go to ${fallbacks.join(', ')} meanwhile.`
      : 'No fallback is set: requests wait for it (Settings › Routing).';
  if (change.after === 'down' && change.before === 'ok') {
    return { title: `${label} is down`, body: `${health?.lastError ?? 'It keeps failing.'} ${serving}` };
  }
  if (change.after === 'attention') {
    return {
      title: `${label} needs attention`,
      body: `${health?.lastError ?? 'It refused its key.'} Check the key in Settings.`,
    };
  }
  if (
    change.after === 'ok' &&
    (change.before === 'down' || change.before === 'probing' || change.before === 'attention')
  ) {
    return { title: `${label} is back`, body: 'Requests go to it again.' };
  }
  return null;
}
