/**
 * Desktop notifications for things the user must not miss while the app lives in the tray:
 * the proxy could not listen. Each distinct problem is announced once.
 */
import { Notification } from 'electron';
import type { ProxyStatus } from '../../shared/appState';

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
    notification.show();
  };
}
