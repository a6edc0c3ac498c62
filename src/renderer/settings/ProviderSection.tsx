/**
 * One provider: key, base URL, model mapping (with suggestions from the provider's /models),
 * a Test button, and for custom providers, Remove. Edits stay in a local draft until saved, so
 * a rejected value is shown with its error and nothing typed is lost.
 */
import { useEffect, useState } from 'react';
import type { ProviderView } from '../../shared/appState';
import type { ProviderSettings } from '../../shared/config';
import type { ModelListResult, ProviderCheckResult } from '../../shared/ipc';
import { formatDuration } from '../../shared/requestFormat';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';
import { KeyField } from './KeyField';

const MODEL_FIELDS: { key: 'bigModel' | 'smallModel' | 'opusModel'; label: string; hint: string }[] = [
  { key: 'bigModel', label: 'Big model', hint: 'for sonnet' },
  { key: 'smallModel', label: 'Small model', hint: 'for haiku' },
  { key: 'opusModel', label: 'Opus model', hint: 'empty: the big model' },
];

export function ProviderSection({ provider, active }: { provider: ProviderView; active: boolean }) {
  const fieldErrors = useFieldErrors();
  const { errors, attempt, busy } = fieldErrors;
  const [draft, setDraft] = useState<ProviderSettings>(provider.settings);
  const [dirty, setDirty] = useState(false);
  const [models, setModels] = useState<ModelListResult | null>(null);
  const [check, setCheck] = useState<ProviderCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const scope = `providers.${provider.id}`;
  const saved = JSON.stringify(provider.settings);

  // Changes made elsewhere (the tray, an import) show up unless the user is editing.
  useEffect(() => {
    if (!dirty) setDraft(JSON.parse(saved) as ProviderSettings);
  }, [saved, dirty]);

  // A list fetched with another URL or key is stale.
  useEffect(() => setModels(null), [provider.settings.baseUrl, provider.keySet]);

  const edit = (key: keyof ProviderSettings, value: string) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setDirty(true);
  };

  const loadModels = (refresh = false) => {
    if (models && !refresh) return;
    void api.listModels(provider.id, refresh).then(setModels, () => undefined);
  };

  const save = async () => {
    if (await attempt(scope, () => api.updateProvider(provider.id, draft))) setDirty(false);
  };

  const test = async () => {
    setChecking(true);
    setCheck(null);
    try {
      setCheck(await api.testProvider(provider.id));
    } catch (error) {
      setCheck({ ok: false, latencyMs: 0, model: '', error: (error as Error).message, status: null });
    } finally {
      setChecking(false);
    }
  };

  const listId = `${provider.id}-models`;
  return (
    <details
      className={`provider${active ? ' active' : ''}`}
      open={active}
      data-testid={`provider-${provider.id}`}
    >
      <summary>
        <span className="provider-name">{provider.label}</span>
        {active && <span className="badge">active</span>}
        {provider.custom && <span className="badge subtle">custom</span>}
        <span className="summary-status">
          {provider.keySet ? 'key set' : provider.keyOptional ? 'no key needed' : 'no key'}
        </span>
      </summary>
      <div className="provider-body">
        <div className="row">
          <button
            type="button"
            disabled={active || busy || Boolean(provider.unavailableReason)}
            title={provider.unavailableReason ?? undefined}
            onClick={() => void attempt(scope, () => api.setActiveProvider(provider.id))}
          >
            {active ? 'Used for requests' : 'Use this provider'}
          </button>
          {provider.unavailableReason && (
            <span className="muted">Unavailable: {provider.unavailableReason}.</span>
          )}
        </div>
        <KeyField provider={provider} fieldErrors={fieldErrors} />
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <div className="field">
            <label htmlFor={`${provider.id}-baseUrl`}>Base URL</label>
            <input
              id={`${provider.id}-baseUrl`}
              value={draft.baseUrl}
              spellCheck={false}
              aria-invalid={Boolean(errors[`${scope}.baseUrl`])}
              onChange={(event) => edit('baseUrl', event.target.value)}
            />
            <FieldMessage error={errors[`${scope}.baseUrl`]} />
          </div>
          {provider.kind === 'openai-compatible' && (
            <div className="field">
              <label htmlFor={`${provider.id}-apiStyle`}>
                API{' '}
                <span className="muted">
                  auto: the Responses API for models that need it (codex, -pro), chat completions otherwise
                </span>
              </label>
              <select
                id={`${provider.id}-apiStyle`}
                value={draft.apiStyle ?? 'auto'}
                aria-invalid={Boolean(errors[`${scope}.apiStyle`])}
                onChange={(event) => edit('apiStyle', event.target.value)}
              >
                <option value="auto">auto</option>
                <option value="chat">chat completions</option>
                <option value="responses">Responses API</option>
              </select>
              <FieldMessage error={errors[`${scope}.apiStyle`]} />
            </div>
          )}
          <div className="model-grid">
            {MODEL_FIELDS.map(({ key, label, hint }) => (
              <div className="field" key={key}>
                <label htmlFor={`${provider.id}-${key}`}>
                  {label} <span className="muted">{hint}</span>
                </label>
                <input
                  id={`${provider.id}-${key}`}
                  list={listId}
                  value={draft[key]}
                  spellCheck={false}
                  placeholder={key === 'opusModel' ? draft.bigModel : 'client model unchanged'}
                  aria-invalid={Boolean(errors[`${scope}.${key}`])}
                  onFocus={() => loadModels()}
                  onChange={(event) => edit(key, event.target.value)}
                />
                <FieldMessage error={errors[`${scope}.${key}`]} />
              </div>
            ))}
          </div>
          <datalist id={listId}>
            {models?.models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <p className="muted small" data-testid={`${provider.id}-model-list`}>
            {models === null
              ? 'Suggestions come from the provider’s /models list (at the saved URL) when a model field is focused.'
              : models.error
                ? `Could not list models: ${models.error}`
                : `${models.models.length} models from /models. `}
            {models && (
              <button type="button" className="link" onClick={() => loadModels(true)}>
                Refresh
              </button>
            )}
          </p>
          <FieldMessage error={errors[scope]} />
          <div className="row">
            <button type="submit" className="primary" disabled={!dirty || busy}>
              Save
            </button>
            {dirty && (
              <button
                type="button"
                onClick={() => {
                  setDirty(false);
                  fieldErrors.clear();
                }}
              >
                Discard changes
              </button>
            )}
            <button type="button" onClick={() => void test()} disabled={checking}>
              {checking ? 'Testing…' : 'Test'}
            </button>
            {check && (
              <span className={check.ok ? 'ok' : 'bad'} data-testid={`${provider.id}-test-result`}>
                {check.ok
                  ? `OK · ${formatDuration(check.latencyMs)} · ${check.model}`
                  : `${check.status ? `${check.status} ` : ''}${check.error}`}
              </span>
            )}
            {provider.custom && (
              <button
                type="button"
                className="danger push-right"
                onClick={() => void attempt(scope, () => api.removeCustomProvider(provider.id))}
              >
                Remove provider
              </button>
            )}
          </div>
        </form>
      </div>
    </details>
  );
}
