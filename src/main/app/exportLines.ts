/**
 * The lines a user pastes into a terminal so Claude Code talks to Turnout. When an access
 * token is required it travels as ANTHROPIC_AUTH_TOKEN, which Claude Code sends as a Bearer token.
 */
export type Shell = 'posix' | 'fish' | 'powershell' | 'cmd';

export function exportLine(shell: Shell, baseUrl: string, token: string | null): string {
  const vars: [string, string][] = [['ANTHROPIC_BASE_URL', baseUrl]];
  if (token) vars.push(['ANTHROPIC_AUTH_TOKEN', token]);
  switch (shell) {
    case 'posix':
      return vars.map(([k, v]) => `export ${k}=${v}`).join('; ');
    case 'fish':
      return vars.map(([k, v]) => `set -gx ${k} ${v}`).join('; ');
    case 'powershell':
      return vars.map(([k, v]) => `$env:${k}="${v}"`).join('; ');
    case 'cmd':
      // `set K=v && …` would keep the space before && in the value; the quoted form does not.
      return vars.map(([k, v]) => `set "${k}=${v}"`).join(' && ');
  }
}

/**
 * Headless's start-up line. Its stdout usually ends up in `docker logs` or journald, so the token
 * is never printed: the line names the variable that holds it, for a shell that has it set.
 */
export function headlessExportLine(baseUrl: string, tokenRequired: boolean): string {
  const line = `export ANTHROPIC_BASE_URL=${baseUrl}`;
  return tokenRequired ? `${line}; export ANTHROPIC_AUTH_TOKEN="$TURNOUT_ACCESS_TOKEN"` : line;
}

/** The shell a copied line is written for when the user did not pick one. */
export function defaultShell(platform: NodeJS.Platform): Shell {
  return platform === 'win32' ? 'powershell' : 'posix';
}

/**
 * A one-off command: Claude Code on Turnout without changing the shell's environment. POSIX
 * shells take `VAR=value command`; Windows shells have no such form, so there a child cmd sets
 * the variables and runs claude (the same line works typed into cmd or PowerShell). No space
 * before `&&`, or cmd would keep it in the value; the URL and the base64url token hold nothing
 * cmd treats specially.
 */
export function claudeCommand(baseUrl: string, token: string | null, platform: NodeJS.Platform): string {
  const vars: [string, string][] = [['ANTHROPIC_BASE_URL', baseUrl]];
  if (token) vars.push(['ANTHROPIC_AUTH_TOKEN', token]);
  if (platform === 'win32') {
    return `cmd /c "${vars.map(([k, v]) => `set ${k}=${v}&& `).join('')}claude"`;
  }
  return `${vars.map(([k, v]) => `${k}=${v}`).join(' ')} claude`;
}

/** The base URL that pins a terminal to a provider or profile: `<base>/p/<name>`. */
export function pinnedBaseUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/p/${encodeURIComponent(name)}`;
}
