/**
 * Desktop notifications for things the user must not miss while the app lives in the tray:
 * the proxy could not listen. Each distinct problem is announced once.
 */
import { Notification } from 'electron';
import type { ProxyStatus } from '../../shared/appState';

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
