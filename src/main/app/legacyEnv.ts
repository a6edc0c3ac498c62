/**
 * Turnout was called Switchyard before its first release (the name was taken by another Claude
 * Code proxy). Variables under the old prefix keep working: each is copied to its TURNOUT_ name
 * unless that is set too, and one warning line names them so users can rename at their pace.
 */
import type { EnvSource } from './envConfig';

const OLD_PREFIX = 'SWITCHYARD_';
const NEW_PREFIX = 'TURNOUT_';

export interface LegacyEnvResult {
  env: EnvSource;
  /** One line when old names were found, else null. */
  warning: string | null;
}

export function adoptLegacyEnv(env: EnvSource): LegacyEnvResult {
  const renamed: string[] = [];
  const result: EnvSource = { ...env };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(OLD_PREFIX) || value === undefined) continue;
    const current = NEW_PREFIX + name.slice(OLD_PREFIX.length);
    renamed.push(name);
    if (result[current] === undefined) result[current] = value;
  }
  if (renamed.length === 0) return { env: result, warning: null };
  renamed.sort();
  const names = renamed.map((name) => `${name} → ${NEW_PREFIX}${name.slice(OLD_PREFIX.length)}`);
  return {
    env: result,
    warning: `old variable names still work but will be dropped in a later release; rename ${names.join(', ')}.`,
  };
}
