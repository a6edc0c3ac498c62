/** Adds an OpenAI-compatible server (OpenRouter, DeepSeek, Ollama, vLLM…) as a provider. */
import { useState } from 'react';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

export function CustomProviderForm() {
  const { errors, attempt, busy } = useFieldErrors();
  const [id, setId] = useState('');
  const [label, setLabel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');

  const add = async () => {
    if (await attempt('customProvider', () => api.addCustomProvider({ id, label, baseUrl }))) {
      setId('');
      setLabel('');
      setBaseUrl('');
    }
  };

  return (
    <form
      className="custom-form"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <h3>Add an OpenAI-compatible server</h3>
      <div className="custom-grid">
        <div className="field">
          <label htmlFor="custom-id">Id</label>
          <input
            id="custom-id"
            placeholder="openrouter"
            value={id}
            spellCheck={false}
            aria-invalid={Boolean(errors['customProvider.id'])}
            onChange={(e) => setId(e.target.value)}
          />
          <FieldMessage error={errors['customProvider.id']} />
        </div>
        <div className="field">
          <label htmlFor="custom-label">Name</label>
          <input
            id="custom-label"
            placeholder="OpenRouter"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
        <div className="field wide">
          <label htmlFor="custom-url">Base URL</label>
          <input
            id="custom-url"
            placeholder="https://openrouter.ai/api/v1"
            value={baseUrl}
            spellCheck={false}
            aria-invalid={Boolean(errors['customProvider.baseUrl'])}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
          <FieldMessage error={errors['customProvider.baseUrl']} />
        </div>
      </div>
      <FieldMessage error={errors.customProvider} />
      <button type="submit" disabled={busy}>
        Add provider
      </button>
    </form>
  );
}
