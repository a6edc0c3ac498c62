/**
 * Adds a server that is not a preset (the presets are listed above it): an OpenAI-compatible
 * chat-completions server, or an Anthropic-compatible `/v1/messages` endpoint (DeepSeek's, Kimi's,
 * GLM's, MiniMax's or Ollama's `/anthropic`), which receives the client's request as it is.
 */
import { useState } from 'react';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

export function CustomProviderForm() {
  const { errors, attempt, busy } = useFieldErrors();
  const [id, setId] = useState('');
  const [label, setLabel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [kind, setKind] = useState<'openai-compatible' | 'anthropic'>('openai-compatible');

  const add = async () => {
    if (await attempt('customProvider', () => api.addCustomProvider({ id, label, baseUrl, kind }))) {
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
      <h3>Add another server</h3>
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
        <div className="field">
          <label htmlFor="custom-kind">Speaks</label>
          <select
            id="custom-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value === 'anthropic' ? 'anthropic' : 'openai-compatible')}
          >
            <option value="openai-compatible">OpenAI chat completions</option>
            <option value="anthropic">Anthropic Messages</option>
          </select>
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
