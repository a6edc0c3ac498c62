/**
 * Usage history settings: how long it is kept, and the user's own prices per model (which win
 * over the built-in price table, e.g. for a negotiated rate or a model the table lacks).
 */
import { useState } from 'react';
import type { UsageSettings } from '../../shared/config';
import type { ModelPrice } from '../../shared/providers/prices';
import { api } from '../common/api';
import { FieldMessage } from '../common/FieldMessage';
import { useFieldErrors } from '../common/useFieldErrors';

const PRICE_FIELDS: Array<[keyof ModelPrice, string]> = [
  ['input', 'Input'],
  ['output', 'Output'],
  ['cacheRead', 'Cache read'],
  ['cacheWrite', 'Cache write'],
];

/** "" → undefined (optional fields), otherwise a number (NaN is refused by the main process). */
function amount(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

export function UsageSection({ usage }: { usage: UsageSettings }) {
  const { errors, attempt, busy } = useFieldErrors();
  const [days, setDays] = useState(String(usage.retentionDays));
  const [model, setModel] = useState('');
  const [price, setPrice] = useState<Record<string, string>>({});

  const saveRetention = () => attempt('usage.retentionDays', () => api.setUsageRetention(Number(days)));

  const addPrice = () =>
    attempt('usage.prices', async () => {
      const next: Record<string, number | undefined> = {};
      for (const [key] of PRICE_FIELDS) next[key] = amount(price[key] ?? '');
      const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
      await api.setModelPrice(model, clean as unknown as ModelPrice);
      setModel('');
      setPrice({});
    });

  const overrides = Object.entries(usage.prices);
  return (
    <section data-testid="usage-section">
      <h2>Usage</h2>
      <p className="muted">
        Turnout keeps one line per request (models, tokens, cost, timing; never prompts or answers) for the
        Usage window and the Claude Code status line.{' '}
        <button type="button" className="link" onClick={() => void api.openUsageWindow()}>
          Open Usage…
        </button>
      </p>
      <div className="field">
        <label htmlFor="usage-retention">Keep history for (days)</label>
        <div className="row">
          <input
            className="usage-days"
            id="usage-retention"
            type="number"
            min={1}
            max={3650}
            value={days}
            aria-invalid={Boolean(errors['usage.retentionDays'])}
            onChange={(e) => setDays(e.target.value)}
          />
          <button
            type="button"
            disabled={busy || days === String(usage.retentionDays)}
            onClick={() => void saveRetention()}
          >
            Save
          </button>
        </div>
        <FieldMessage error={errors['usage.retentionDays']} />
      </div>
      <h3>Your prices</h3>
      <p className="muted small">
        US dollars per million tokens, for the upstream model name. They win over the built-in price table; a
        model with no price shows its cost as “–”.
      </p>
      {overrides.length > 0 && (
        <table className="usage-prices">
          <thead>
            <tr>
              <th scope="col">Model</th>
              {PRICE_FIELDS.map(([key, label]) => (
                <th scope="col" key={key}>
                  {label}
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {overrides.map(([name, p]) => (
              <tr key={name}>
                <td>
                  <code>{name}</code>
                </td>
                {PRICE_FIELDS.map(([key]) => (
                  <td key={key}>{p[key] === undefined ? '= input' : `$${p[key]}`}</td>
                ))}
                <td>
                  <button
                    type="button"
                    className="link"
                    disabled={busy}
                    onClick={() => void attempt('usage.prices', () => api.setModelPrice(name, null))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="usage-price-form">
        <input
          aria-label="Model"
          placeholder="model, e.g. qwen3-coder:30b"
          value={model}
          onChange={(e) => setModel(e.target.value)}
        />
        {PRICE_FIELDS.map(([key, label]) => (
          <input
            key={key}
            aria-label={`${label} price`}
            placeholder={label}
            inputMode="decimal"
            value={price[key] ?? ''}
            onChange={(e) => setPrice({ ...price, [key]: e.target.value })}
          />
        ))}
        <button type="button" disabled={busy || !model.trim()} onClick={() => void addPrice()}>
          Set price
        </button>
      </div>
      <FieldMessage
        error={
          errors['usage.prices'] ?? Object.entries(errors).find(([k]) => k.startsWith('usage.prices.'))?.[1]
        }
      />
    </section>
  );
}
