/**
 * Desktop notifications for things the user must not miss while the app lives in the tray:
 * the proxy could not listen; the active provider went down or recovered. Each distinct problem
 * is announced once.
 */
import { Notification } from 'electron';
import type { AppState, ProxyStatus } from '../../shared/appState';
import type { HealthListener } from '../proxy/routing';
import { healthNotice } from '../app/healthNotice';

/**
 * The notification on screen, held until the next one replaces it: an unreferenced Notification
 * can be garbage collected while still shown (or waiting in the notification centre), and its
 * click handler with it.
 */
const onScreen = new Set<Notification>();

export function createProxyErrorNotifier(onClick: () => void): (status: ProxyStatus) => void {
  let lastMessage: string | null = null;
  return (status) => {
    if (status.state !== 'error') {
      lastMessage = null;
      return;
    }
    if (status.message === lastMessage) return;
    lastMessage = status.message;
    if (!Notification.isSupported()) return;
    const notification = new Notification({
      title: 'Turnout could not start the proxy',
      body: `${status.message} Click to open Settings.`,
    });
    notification.on('click', onClick);
    onScreen.clear();
    onScreen.add(notification);
    notification.show();
  };
}

/** Announces the active provider going down (or refusing its key) and coming back. */
export function createHealthNotifier(getState: () => AppState, onClick: () => void): HealthListener {
  return (change) => {
    const notice = healthNotice(getState(), change);
    if (!notice || !Notification.isSupported()) return;
    const notification = new Notification(notice);
    notification.on('click', onClick);
    notification.show();
  };
}
