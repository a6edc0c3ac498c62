/**
 * Where the proxy listens, pause, start at login, and the lines to paste into a terminal. When
 * the port is taken, offers a free one.
 */
import { useEffect, useState } from 'react';
import type { AppState } from '../../shared/appState';
import type { ShellKind } from '../../shared/ipc';
import { api, TurnoutError } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

const SHELLS: { shell: ShellKind; label: string }[] = [
  { shell: 'posix', label: 'bash/zsh' },
  { shell: 'fish', label: 'fish' },
  { shell: 'powershell', label: 'PowerShell' },
  { shell: 'cmd', label: 'cmd' },
];

export function ListenSection({ state }: { state: AppState }) {
  const { errors, attempt, busy } = useFieldErrors();
  const [host, setHost] = useState(state.settings.host);
  const [port, setPort] = useState(String(state.settings.port));
  const [suggested, setSuggested] = useState<number | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const portInUse = state.proxy.state === 'error' && state.proxy.code === 'EADDRINUSE';

  useEffect(() => {
    setHost(state.settings.host);
    setPort(String(state.settings.port));
  }, [state.settings.host, state.settings.port]);

  useEffect(() => {
    if (!portInUse) {
      setSuggested(null);
      return;
    }
    void api.suggestPort().then(
      (s) => setSuggested(s.port),
      () => undefined,
    );
  }, [portInUse]);

  const apply = (nextHost: string, nextPort: string) =>
    attempt('listen', async () => {
      const number = Number(nextPort);
      if (nextPort.trim() === '' || !Number.isInteger(number)) {
        // Checked here only to give a clearer message than "must be a number" from main.
        throw new TurnoutError({
          kind: 'user',
          field: 'port',
          message: 'The port must be a whole number from 1 to 65535.',
        });
      }
      await api.setListenAddress(nextHost, number);
    });

  return (
    <section>
      <h2>Proxy</h2>
      {portInUse && (
        <div className="notice bad" role="alert">
          {state.proxy.state === 'error' && state.proxy.message}{' '}
          {suggested !== null && (
            <button type="button" className="primary" onClick={() => void apply(host, String(suggested))}>
              Use port {suggested}
            </button>
          )}
        </div>
      )}
      <form
        className="listen-grid"
        onSubmit={(event) => {
          event.preventDefault();
          void apply(host, port);
        }}
      >
        <div className="field">
          <label htmlFor="listen-host">Bind address</label>
          <input
            id="listen-host"
            value={host}
            spellCheck={false}
            aria-invalid={Boolean(errors.host)}
            onChange={(e) => setHost(e.target.value)}
          />
          <FieldMessage error={errors.host} />
        </div>
        <div className="field">
          <label htmlFor="listen-port">Port</label>
          <input
            id="listen-port"
            inputMode="numeric"
            value={port}
            aria-invalid={Boolean(errors.port)}
            onChange={(e) => setPort(e.target.value)}
          />
          <FieldMessage error={errors.port} />
        </div>
        <div className="field align-end">
          <button type="submit" disabled={busy}>
            Apply
          </button>
        </div>
      </form>
      <FieldMessage error={errors.listen} />
      <div className="row">
        <label className="check">
          <input
            type="checkbox"
            checked={state.settings.paused}
            disabled={state.proxy.state === 'error'}
            onChange={(e) => void attempt('paused', () => api.setPaused(e.target.checked))}
          />
          Paused (requests get an error until resumed)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={state.settings.startAtLogin}
            onChange={(e) => void attempt('startAtLogin', () => api.setStartAtLogin(e.target.checked))}
          />
          Start at login
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={state.settings.requireAccessToken}
            onChange={(e) =>
              void attempt('requireAccessToken', () => api.setRequireAccessToken(e.target.checked))
            }
          />
          Require the access token on this machine too
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={state.settings.contextScaling !== false}
            onChange={(e) => void attempt('contextScaling', () => api.setContextScaling(e.target.checked))}
          />
          Scale reported input tokens to the model’s context window (Claude Code compacts in time)
        </label>
      </div>
      <p className="muted small">
        Off this machine (a bind address other than 127.0.0.1) clients always need the access token; the
        copied export lines include it.
      </p>
      <FieldMessage
        error={errors.paused ?? errors.startAtLogin ?? errors.requireAccessToken ?? errors.contextScaling}
      />
      <div className="row">
        <span className="muted">Copy the export line for</span>
        {SHELLS.map(({ shell, label }) => (
          <button
            type="button"
            key={shell}
            onClick={() =>
              void attempt('copy', async () => setCopied(await api.copyExportLine(shell))).then(() =>
                setTimeout(() => setCopied(null), 4000),
              )
            }
          >
            {label}
          </button>
        ))}
      </div>
      {copied && <code className="copied">Copied: {copied}</code>}
    </section>
  );
}
