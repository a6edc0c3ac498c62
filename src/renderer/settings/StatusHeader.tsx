/** The proxy's status, start-up notices and the key-storage warning, at the top of Settings. */
import type { AppState } from '../../shared/appState';

function statusText(state: AppState): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  const provider = state.providers.find((p) => p.id === state.settings.activeProvider)?.label ?? '';
  const { proxy } = state;
  if (proxy.state === 'running')
    return { text: `Proxy on ${proxy.host}:${proxy.port} · ${provider}`, tone: 'ok' };
  if (proxy.state === 'paused')
    return { text: `Paused · ${proxy.host}:${proxy.port} · ${provider}`, tone: 'warn' };
  if (proxy.state === 'error') return { text: proxy.message, tone: 'bad' };
  return { text: proxy.state === 'starting' ? 'Starting proxy…' : 'Proxy stopped', tone: 'warn' };
}

export function StatusHeader({ state }: { state: AppState }) {
  const status = statusText(state);
  return (
    <header className="app-header">
      <div className="row">
        <h1>Turnout</h1>
        <span className={`status-pill ${status.tone}`} data-testid="proxy-status">
          {status.text}
        </span>
      </div>
      {state.keyStorage === 'obscured' && (
        <p className="notice warn">
          No system keyring was found, so API keys are only obscured on disk, not encrypted. Install and
          unlock a keyring (GNOME Keyring or KWallet) and re-enter the keys to encrypt them.
        </p>
      )}
      {state.notices.map((notice) => (
        <p className="notice" key={notice}>
          {notice}
        </p>
      ))}
    </header>
  );
}
