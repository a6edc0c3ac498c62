import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// electron-store (and its conf dependency) is ESM-only, so it is bundled into the main
// process instead of being required at run time.
const bundled = ['electron-store', 'conf'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: bundled },
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
