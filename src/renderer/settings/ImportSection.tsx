/** Imports the headless mode's variables (OPENAI_API_KEY, BIG_MODEL…) from a .env file or the environment. */
import { useState } from 'react';
import type { EnvImportResult } from '../../shared/ipc';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

export function ImportSection() {
  const { errors, attempt, busy } = useFieldErrors();
  const [result, setResult] = useState<EnvImportResult | null>(null);

  const run = (source: 'file' | 'environment') =>
    attempt('import', async () => {
      const imported = await api.importEnv(source);
      if (imported) setResult(imported);
    });

  return (
    <section>
      <h2>Import</h2>
      <p className="muted">
        Reads the variables of the headless mode and of claude-code-proxy (OPENAI_API_KEY, GEMINI_API_KEY,
        PREFERRED_PROVIDER, BIG_MODEL, SMALL_MODEL, …). Only variables that are set change anything.
      </p>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void run('file')}>
          Import .env file…
        </button>
        <button type="button" disabled={busy} onClick={() => void run('environment')}>
          Import from environment
        </button>
      </div>
      <FieldMessage error={errors.import} />
      {result && (
        <div className="notice" data-testid="import-result">
          <p>
            From {result.source}:{' '}
            {result.applied.length ? result.applied.join(', ') : 'no Turnout variables were set.'}
            {result.keys.length > 0 && ` Keys saved for ${result.keys.join(', ')}.`}
          </p>
          {result.warnings.map((w) => (
            <p className="warn" key={w}>
              {w}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}
