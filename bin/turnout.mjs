#!/usr/bin/env node
// `turnout <command>`: small commands that talk to a running Turnout proxy.
// Runs the TypeScript sources directly (Node 24 strips types), so it works from a clean clone.
const [command] = process.argv.slice(2);

if (command === 'statusline') {
  const { runStatusLine } = await import('../src/main/cli/statusline.ts');
  await runStatusLine();
} else {
  process.stderr.write(
    'Usage: turnout statusline\n' +
      "  Prints one line for Claude Code's status bar from the running proxy\n" +
      '  (TURNOUT_URL or ANTHROPIC_BASE_URL, default http://127.0.0.1:8082).\n',
  );
  process.exitCode = command ? 1 : 0;
}
