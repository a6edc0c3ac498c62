/**
 * A write-only API key field. Once saved, the key never comes back: the field shows
 * "set · ••••abcd" with Replace and Remove.
 */
import { useState } from 'react';
import type { ProviderView } from '../../shared/appState';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import type { FieldErrors } from '../common/useFieldErrors';

export function KeyField({ provider, fieldErrors }: { provider: ProviderView; fieldErrors: FieldErrors }) {
  const [replacing, setReplacing] = useState(false);
  const [value, setValue] = useState('');
  const field = `providers.${provider.id}.key`;
  const inputId = `${provider.id}-key`;
  const { errors, attempt, busy } = fieldErrors;

  const save = async () => {
    const ok = await attempt(field, () => api.setKey(provider.id, value));
    if (ok) {
      setValue('');
      setReplacing(false);
    }
  };

  if (provider.keySet && !replacing) {
    return (
      <div className="field">
        <span className="label">API key</span>
        <div className="row">
          <span className="key-set" data-testid={`${provider.id}-key-status`}>
            set{provider.keyHint ? ` · ••••${provider.keyHint}` : ''}
          </span>
          <button type="button" onClick={() => setReplacing(true)}>
            Replace
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void attempt(field, () => api.removeKey(provider.id))}
          >
            Remove
          </button>
        </div>
        <FieldMessage error={errors[field]} />
      </div>
    );
  }

  return (
    <div className="field">
      <label htmlFor={inputId}>API key{provider.keyOptional ? ' (optional)' : ''}</label>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={
            provider.keyOptional ? 'Not needed for most local servers' : `Paste your ${provider.label} key`
          }
          value={value}
          aria-invalid={Boolean(errors[field])}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="primary" disabled={busy || !value}>
          Save key
        </button>
        {replacing && (
          <button type="button" onClick={() => setReplacing(false)}>
            Cancel
          </button>
        )}
      </form>
      <FieldMessage error={errors[field]} />
    </div>
  );
}
