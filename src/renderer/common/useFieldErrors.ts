/**
 * Runs an action and keeps its error next to the field the main process named. The form's own
 * values are left alone, so a rejected input is never lost.
 */
import { useCallback, useState } from 'react';
import { TurnoutError } from './api';

export interface FieldErrors {
  errors: Record<string, string>;
  busy: boolean;
  /**
   * Runs `action` after clearing the errors under `scope` (e.g. "providers.openai" clears
   * "providers.openai.baseUrl"); on failure records the message under the error's field, or
   * under `scope` when the error names none.
   */
  attempt: (scope: string, action: () => Promise<unknown>) => Promise<boolean>;
  clear: (field?: string) => void;
}

export function useFieldErrors(): FieldErrors {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const attempt = useCallback(async (scope: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([k]) => k !== scope && !k.startsWith(`${scope}.`))),
    );
    try {
      await action();
      return true;
    } catch (error) {
      const field = error instanceof TurnoutError && error.field ? error.field : scope;
      setErrors((current) => ({ ...current, [field]: (error as Error).message }));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback((field?: string) => {
    setErrors((current) => {
      if (!field) return {};
      const { [field]: _dropped, ...rest } = current;
      return rest;
    });
  }, []);
  return { errors, busy, attempt, clear };
}
