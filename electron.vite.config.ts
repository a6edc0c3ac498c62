import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    // Every dependency is bundled into out/main, so the packaged app needs no node_modules (see
    // electron-builder.yml): the asar holds only what the main process imports, and of
    // gpt-tokenizer only the cl100k encoding, as a chunk loaded on the first count_tokens.
    resolve: {
      alias: { 'when-exit': resolve(import.meta.dirname, 'src/main/desktop/whenExit.ts') },
    },
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // Claude Code's status line command, run by the app's executable as Node.
          statusline: resolve(import.meta.dirname, 'src/main/cli/statuslineMain.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: {
        input: {
          settings: resolve(import.meta.dirname, 'src/renderer/settings.html'),
          log: resolve(import.meta.dirname, 'src/renderer/log.html'),
          usage: resolve(import.meta.dirname, 'src/renderer/usage.html'),
        },
      },
    },
  },
});
