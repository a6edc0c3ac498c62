/**
 * Routing: each provider's health, the fallback chain, the rules (a provider and model each),
 * and named profiles a terminal can pin with `/p/<name>`. Renders state and sends intents; the
 * meaning of each rule lives in the main process (src/main/proxy/routing/).
 */
import { useEffect, useState } from 'react';
import type { AppState, ProviderHealthView } from '../../shared/appState';
import { parseRouteTarget, type RuleName } from '../../shared/config';
import { providersInUse } from '../../shared/providersInUse';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

const RULES: { name: RuleName; label: string; help: string }[] = [
  {
    name: 'longContext',
    label: 'Long context',
    help: 'Input above the threshold, or beyond the default model’s window.',
  },
  {
    name: 'image',
    label: 'Image',
    help: 'The latest user turn holds an image the default model cannot see.',
  },
  {
    name: 'webSearch',
    label: 'Web search',
    help: 'Claude Code’s WebSearch: pick a backend that can search.',
  },
  {
    name: 'think',
    label: 'Think',
    help: 'Extended thinking with a budget, or adaptive thinking at effort max.',
  },
  { name: 'background', label: 'Background', help: 'Claude Code’s small, fast (haiku) requests.' },
];

function time(ms?: number): string {
  return ms ? new Date(ms).toLocaleTimeString() : '';
}

function HealthRow({ label, health }: { label: string; health: ProviderHealthView | undefined }) {
  const state = health?.state ?? 'ok';
  const text = { ok: 'OK', down: 'Down', probing: 'Probing', attention: 'Needs attention' }[state];
  return (
    <tr>
      <td>{label}</td>
      <td className={state === 'ok' ? 'ok' : state === 'probing' ? 'warn' : 'bad'}>{text}</td>
      <td className="small">
        {health?.lastError ? `${health.lastError} (${time(health.lastErrorAt)})` : ''}
      </td>
      <td className="small">{state === 'down' ? time(health?.retryAt) : ''}</td>
    </tr>
  );
}

/** A `provider/model` target edited as a provider picker and a model field with suggestions. */
function TargetPicker({
  id,
  label,
  state,
  value,
  onChange,
}: {
  id: string;
  label: string;
  state: AppState;
  value: string;
  onChange: (target: string) => void;
}) {
  const parsed = parseRouteTarget(value);
  const [provider, setProvider] = useState(parsed?.provider ?? '');
  const [model, setModel] = useState(parsed?.model ?? '');
  const [models, setModels] = useState<string[]>([]);
  useEffect(() => {
    setProvider(parsed?.provider ?? '');
    setModel(parsed?.model ?? '');
  }, [value]);
  useEffect(() => {
    if (!provider) return setModels([]);
    void api.listModels(provider).then(
      (list) => setModels(list.models),
      () => setModels([]),
    );
  }, [provider]);
  const commit = (p: string, m: string) => onChange(p && m.trim() ? `${p}/${m.trim()}` : '');
  return (
    <div className="row">
      <select
        id={`${id}-provider`}
        aria-label={`${label}: provider`}
        value={provider}
        onChange={(e) => {
          setProvider(e.target.value);
          if (!e.target.value) commit('', '');
        }}
      >
        <option value="">Off</option>
        {state.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <input
        id={`${id}-model`}
        aria-label={`${label}: model`}
        list={`${id}-models`}
        placeholder="model"
        value={model}
        disabled={!provider}
        spellCheck={false}
        onChange={(e) => setModel(e.target.value)}
        onBlur={() => commit(provider, model)}
      />
      <datalist id={`${id}-models`}>
        {models.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
    </div>
  );
}

function FallbackChain({ state }: { state: AppState }) {
  const { errors, attempt } = useFieldErrors();
  const chain = state.settings.fallbackProviders;
  const label = (id: string) => state.providers.find((p) => p.id === id)?.label ?? id;
  const set = (next: string[]) => void attempt('fallbackProviders', () => api.setFallbackProviders(next));
  const available = state.providers.filter(
    (p) => p.id !== state.settings.activeProvider && !chain.includes(p.id),
  );
  return (
    <div className="field">
      <label htmlFor="fallback-add">Fallback chain (after {label(state.settings.activeProvider)})</label>
      <ol className="fallback-chain">
        {chain.map((id, i) => (
          <li key={id}>
            {label(id)}{' '}
            <button type="button" disabled={i === 0} onClick={() => set(move(chain, i, -1))}>
              ↑
            </button>
            <button type="button" onClick={() => set(chain.filter((x) => x !== id))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <select id="fallback-add" value="" onChange={(e) => e.target.value && set([...chain, e.target.value])}>
        <option value="">Add a fallback…</option>
        {available.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <FieldMessage error={errors.fallbackProviders} />
    </div>
  );
}

function move<T>(list: T[], index: number, by: number): T[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(index + by, 0, item);
  return next;
}

function ProfileForm({ state }: { state: AppState }) {
  const { errors, attempt, busy } = useFieldErrors();
  const [name, setName] = useState('');
  const [provider, setProvider] = useState(state.settings.activeProvider);
  const [bigModel, setBigModel] = useState('');
  const [smallModel, setSmallModel] = useState('');
  const fieldError = Object.entries(errors).find(([k]) => k.startsWith('profile'))?.[1];
  return (
    <form
      className="custom-grid"
      onSubmit={(event) => {
        event.preventDefault();
        void attempt('profile', () =>
          api.saveProfile({
            name: name.trim(),
            provider,
            bigModel,
            smallModel,
            opusModel: '',
            fallbackProviders: [],
          }),
        ).then((ok) => ok && setName(''));
      }}
    >
      <div className="field">
        <label htmlFor="profile-name">Name</label>
        <input id="profile-name" value={name} spellCheck={false} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="profile-provider">Provider</label>
        <select id="profile-provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
          {state.providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="profile-big">Big model (empty: the provider’s)</label>
        <input
          id="profile-big"
          value={bigModel}
          spellCheck={false}
          onChange={(e) => setBigModel(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="profile-small">Small model</label>
        <input
          id="profile-small"
          value={smallModel}
          spellCheck={false}
          onChange={(e) => setSmallModel(e.target.value)}
        />
      </div>
      <div className="field align-end">
        <button type="submit" disabled={busy || !name.trim()}>
          Save profile
        </button>
      </div>
      <FieldMessage error={fieldError} />
    </form>
  );
}

/** Providers the routing involves, and any other with a key or a problem. */
function healthRows(state: AppState) {
  const inUse = providersInUse(state.settings);
  return state.providers
    .map((provider) => ({ provider, health: state.health.find((h) => h.id === provider.id) }))
    .filter(
      ({ provider, health }) =>
        inUse.has(provider.id) || provider.keySet || (health !== undefined && health.state !== 'ok'),
    );
}

export function RoutingSection({ state }: { state: AppState }) {
  const { errors, attempt } = useFieldErrors();
  const [threshold, setThreshold] = useState(String(state.settings.rules.longContextThreshold));
  useEffect(() => setThreshold(String(state.settings.rules.longContextThreshold)), [state.settings.rules]);
  const label = (id: string) => state.providers.find((p) => p.id === id)?.label ?? id;
  return (
    <section data-testid="routing-section">
      <h2>Routing</h2>
      <p className="muted">
        A provider that fails before answering (unreachable, timeout, 408, 429, 402, 5xx, 529) hands the
        request to the next in the chain. After three failures in a row it rests for 30 s (growing to 5 min),
        then one request tries it again.
      </p>
      <table className="health-table">
        <thead>
          <tr>
            <th>Provider</th>
            <th>State</th>
            <th>Last error</th>
            <th>Next try</th>
          </tr>
        </thead>
        <tbody>
          {healthRows(state).map(({ provider, health }) => (
            <HealthRow key={provider.id} label={provider.label} health={health} />
          ))}
        </tbody>
      </table>
      <FallbackChain state={state} />
      <h3>Rules</h3>
      <p className="muted small">
        First match wins, in this order. A client that asks for provider/model itself always gets it.
      </p>
      {RULES.map((rule) => (
        <div className="field" key={rule.name}>
          <label htmlFor={`rule-${rule.name}-provider`}>{rule.label}</label>
          <TargetPicker
            id={`rule-${rule.name}`}
            label={rule.label}
            state={state}
            value={state.settings.rules[rule.name]}
            onChange={(target) =>
              void attempt(`rules.${rule.name}`, () => api.setRules({ [rule.name]: target }))
            }
          />
          <p className="muted small">{rule.help}</p>
          <FieldMessage error={errors[`rules.${rule.name}`]} />
        </div>
      ))}
      <div className="field">
        <label htmlFor="rule-threshold">Long-context threshold (estimated input tokens)</label>
        <input
          id="rule-threshold"
          inputMode="numeric"
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          onBlur={() =>
            void attempt('rules.longContextThreshold', () =>
              api.setRules({ longContextThreshold: Number(threshold) }),
            )
          }
        />
        <FieldMessage error={errors['rules.longContextThreshold']} />
      </div>
      <h3>Profiles</h3>
      <p className="muted small">
        A terminal with ANTHROPIC_BASE_URL={state.baseUrl}/p/&lt;name&gt; uses that provider or profile,
        whatever is active here. The tray’s copy menu has the line for each.
      </p>
      <ul>
        {state.settings.profiles.map((profile) => (
          <li key={profile.name} data-testid={`profile-${profile.name}`}>
            <code>/p/{profile.name}</code> → {label(profile.provider)}
            {profile.bigModel ? ` · big ${profile.bigModel}` : ''}
            {profile.smallModel ? ` · small ${profile.smallModel}` : ''}{' '}
            <button
              type="button"
              onClick={() => void attempt(`profiles.${profile.name}`, () => api.removeProfile(profile.name))}
            >
              Remove
            </button>
            <details>
              <summary>Rules and fallbacks of {profile.name}</summary>
              {RULES.map((rule) => (
                <div className="field" key={rule.name}>
                  <label htmlFor={`profile-${profile.name}-${rule.name}-provider`}>{rule.label}</label>
                  <TargetPicker
                    id={`profile-${profile.name}-${rule.name}`}
                    label={`${profile.name} ${rule.label}`}
                    state={state}
                    value={profile.rules[rule.name]}
                    onChange={(target) =>
                      void attempt(`profiles.${profile.name}`, () =>
                        api.saveProfile({ ...profile, rules: { ...profile.rules, [rule.name]: target } }),
                      )
                    }
                  />
                </div>
              ))}
              <div className="field">
                <label htmlFor={`profile-${profile.name}-fallbacks`}>
                  Fallback chain (comma-separated provider ids)
                </label>
                <input
                  id={`profile-${profile.name}-fallbacks`}
                  defaultValue={profile.fallbackProviders.join(', ')}
                  spellCheck={false}
                  onBlur={(e) =>
                    void attempt(`profiles.${profile.name}`, () =>
                      api.saveProfile({
                        ...profile,
                        fallbackProviders: e.target.value
                          .split(',')
                          .map((id) => id.trim())
                          .filter(Boolean),
                      }),
                    )
                  }
                />
              </div>
            </details>
            <FieldMessage
              error={Object.entries(errors).find(([k]) => k.startsWith(`profiles.${profile.name}`))?.[1]}
            />
          </li>
        ))}
      </ul>
      <ProfileForm state={state} />
    </section>
  );
}
