/**
 * `npm run serve`: starts the headless proxy (src/main/headless.ts) fast.
 *
 * Compiling the TypeScript sources with tsx at every start costs 1.5–3 s of CPU and a second
 * process (~50 MB); running one prebuilt bundle takes ~0.3 s and one process. So this launcher
 * keeps an esbuild bundle in node_modules/.cache/turnout/ and runs it, rebuilding it first
 * whenever any source file it was built from (or the installed dependencies) is newer. No build
 * step is needed after `npm install`: the first start builds the bundle (~0.5 s).
 *
 * If esbuild cannot be loaded or the build fails, or TURNOUT_NO_BUNDLE=1 is set (readable
 * stack traces while debugging), the sources run through tsx in this same process, as before.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'main', 'headless.ts');
const cacheDir = join(root, 'node_modules', '.cache', 'turnout');
const bundle = join(cacheDir, 'headless.mjs');
const metaFile = join(cacheDir, 'headless.inputs.json');
// npm rewrites this file on every install: a dependency change means a rebuild.
const installMarker = join(root, 'node_modules', '.package-lock.json');

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
};

/** The bundle is usable when it is newer than every file it was built from. */
function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(metaFile, 'utf8'));
    const installed = mtime(installMarker);
    if (installed !== Infinity && installed > built) return false;
    return inputs.every((file) => mtime(join(root, file)) <= built);
  } catch {
    return false;
  }
}

/** Builds in a child esbuild process that exits when done (the async API would keep one running). */
async function build() {
  // esbuild comes with tsx (a dependency); resolve it from there so hoisting does not matter.
  const requireFromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuild = await import(pathToFileURL(requireFromTsx.resolve('esbuild')).href);
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${bundle}.${process.pid}.tmp`;
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // gpt-tokenizer is loaded lazily and is large; electron is never loaded in headless mode.
    external: ['gpt-tokenizer', 'gpt-tokenizer/*', 'electron'],
    // Bundled CommonJS packages may require() Node built-ins.
    banner: {
      js: "import { createRequire as __turnoutRequire } from 'node:module'; const require = __turnoutRequire(import.meta.url);",
    },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    // Beside the bundle for whoever needs it; not loaded at run time (that costs start-up).
    sourcemap: 'external',
    metafile: true,
    logLevel: 'error',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
  writeFileSync(metaFile, JSON.stringify({ inputs }));
  // Atomic, so a proxy starting at the same moment never runs half a file.
  renameSync(`${temp}.map`, `${bundle}.map`);
  renameSync(temp, bundle);
}

async function runFromSources(reason) {
  if (reason) process.stderr.write(`turnout: ${reason}; running the sources through tsx.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}

if (process.env.TURNOUT_NO_BUNDLE === '1') {
  await runFromSources();
} else {
  let ready = bundleIsFresh();
  if (!ready) {
    try {
      await build();
      ready = true;
    } catch (error) {
      await runFromSources(`could not build the bundle (${error?.message ?? error})`);
    }
  }
  if (ready) await import(pathToFileURL(bundle).href);
}
