/** Lines and messages that differ per platform: what users paste into a shell, and listen errors. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { claudeCommand, defaultShell, exportLine } from '../../src/main/app/exportLines';
import { listenErrorMessage } from '../../src/main/app/listenError';

const URL = 'http://127.0.0.1:8082';
const TOKEN = 'tok_AbC-123';

describe('claude command and export lines', () => {
  it('POSIX: a one-off VAR=value prefix, which sh really applies to the command only', () => {
    const line = claudeCommand(URL, TOKEN, 'linux');
    expect(line).toBe(`ANTHROPIC_BASE_URL=${URL} ANTHROPIC_AUTH_TOKEN=${TOKEN} claude`);
    // Run it with `claude` replaced by a command that prints the two variables.
    const printed = execFileSync('sh', [
      '-c',
      line.replace(/ claude$/, ' sh -c \'printf "%s|%s" "$ANTHROPIC_BASE_URL" "$ANTHROPIC_AUTH_TOKEN"\''),
    ]).toString();
    expect(printed).toBe(`${URL}|${TOKEN}`);
    expect(claudeCommand(URL, null, 'darwin')).toBe(`ANTHROPIC_BASE_URL=${URL} claude`);
  });

  it('Windows: a child cmd sets the variables (no POSIX prefix syntax, no space kept before &&)', () => {
    expect(claudeCommand(URL, TOKEN, 'win32')).toBe(
      `cmd /c "set ANTHROPIC_BASE_URL=${URL}&& set ANTHROPIC_AUTH_TOKEN=${TOKEN}&& claude"`,
    );
    expect(claudeCommand(URL, null, 'win32')).toBe(`cmd /c "set ANTHROPIC_BASE_URL=${URL}&& claude"`);
    expect(defaultShell('win32')).toBe('powershell');
    expect(defaultShell('linux')).toBe('posix');
  });

  it('cmd export line quotes each assignment, so the value ends where it should', () => {
    // `set "NAME=value"` is cmd's documented way to bound a value (see `set /?`).
    expect(exportLine('cmd', URL, TOKEN)).toBe(
      `set "ANTHROPIC_BASE_URL=${URL}" && set "ANTHROPIC_AUTH_TOKEN=${TOKEN}"`,
    );
    expect(exportLine('powershell', URL, null)).toBe(`$env:ANTHROPIC_BASE_URL="${URL}"`);
  });
});

describe('listen errors', () => {
  const eacces = Object.assign(new Error('listen EACCES: permission denied'), { code: 'EACCES' });

  it('Windows EACCES points at reserved port ranges, not at ports below 1024', () => {
    const message = listenErrorMessage(eacces, '127.0.0.1', 8082, 'win32');
    expect(message).toMatch(/excludedportrange/);
    expect(message).not.toMatch(/1024/);
  });

  it('Linux and macOS: below 1024 needs privileges; above, something else refused', () => {
    expect(listenErrorMessage(eacces, '127.0.0.1', 80, 'linux')).toMatch(
      /below 1024 need administrator rights/,
    );
    const high = listenErrorMessage(eacces, '127.0.0.1', 8082, 'darwin');
    expect(high).toMatch(/Not allowed to listen on 127.0.0.1:8082/);
    expect(high).not.toMatch(/above 1024/);
  });

  it('keeps the other messages', () => {
    const inUse = Object.assign(new Error('in use'), { code: 'EADDRINUSE' });
    expect(listenErrorMessage(inUse, '127.0.0.1', 8082, 'win32')).toBe(
      'Port 8082 is already in use (127.0.0.1:8082); choose another port.',
    );
  });
});
