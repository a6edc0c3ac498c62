/**
 * `node --import ./register.ts out/main/index.js`: makes `electron` (import and require alike)
 * resolve to the recording stand-in in fakeElectron.ts, as Electron's own loader would resolve
 * it to the built-in module.
 */
import { registerHooks } from 'node:module';

const fake = new URL('./fakeElectron.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: fake, format: 'module-typescript', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
