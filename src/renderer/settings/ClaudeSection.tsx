/**
 * Claude Code's ~/.claude/settings.json can set ANTHROPIC_* variables in its `env` block, which
 * win over the shell. This section says when that would bypass Turnout and offers to write
 * Turnout's values there (the main process backs the file up first).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ClaudeSettingsReport, ClaudeSettingsWriteResult } from '../../shared/ipc';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

export function ClaudeSection({ baseUrl }: { baseUrl: string }) {
  const { errors, attempt, busy } = useFieldErrors();
  const [report, setReport] = useState<ClaudeSettingsReport | null>(null);
  const [written, setWritten] = useState<ClaudeSettingsWriteResult | null>(null);

  const inspect = useCallback(
    () => void attempt('claudeSettings', async () => setReport(await api.inspectClaudeSettings())),
    [attempt],
  );
  useEffect(inspect, [inspect, baseUrl]);

  const showStatusLine = () =>
    attempt('claudeSettings', async () => {
      setWritten(await api.writeClaudeStatusLine());
    });

  const write = () =>
    attempt('claudeSettings', async () => {
      setWritten(await api.writeClaudeSettings());
      setReport(await api.inspectClaudeSettings());
    });

  return (
    <section data-testid="claude-section">
      <h2>Claude Code</h2>
      {report && (
        <>
          {report.parseError ? (
            <p className="notice bad">
              {report.path} is not valid JSON ({report.parseError}). Claude Code may ignore it; fix it by
              hand.
            </p>
          ) : report.overrides.length === 0 ? (
            <p className="muted">
              {report.exists ? `${report.path} sets no ANTHROPIC_* variables` : `There is no ${report.path}`},
              so the variables exported in your shell apply.
            </p>
          ) : (
            <>
              <p className={report.conflicts ? 'notice warn' : 'muted'}>
                {report.path} sets these variables, which override the ones exported in your shell
                {report.conflicts ? ', and some of them send Claude Code past Turnout:' : ':'}
              </p>
              <ul className="overrides">
                {report.overrides.map((o) => (
                  <li key={o.name} className={o.matches ? '' : 'bad'}>
                    <code>{o.name}</code> = <code>{o.shown}</code> {o.matches ? '✓' : '✕'}
                  </li>
                ))}
              </ul>
            </>
          )}
          {!report.parseError && (report.conflicts || report.overrides.length > 0) && (
            <button type="button" disabled={busy} onClick={() => void write()}>
              Write Turnout’s values to {report.path}
            </button>
          )}
        </>
      )}
      <p className="muted">
        Claude Code can show the provider and model that answered, today’s cost and the last latency under its
        prompt.{' '}
        <button type="button" className="link" disabled={busy} onClick={() => void showStatusLine()}>
          Show Turnout in Claude Code’s status line
        </button>
      </p>
      {written && (
        <p className="notice">
          Wrote {written.written.join(', ')} to {written.path}
          {written.backupPath ? `; the previous file is at ${written.backupPath}.` : '.'}
        </p>
      )}
      <FieldMessage error={errors.claudeSettings} />
    </section>
  );
}
