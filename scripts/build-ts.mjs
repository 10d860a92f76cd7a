// Compiles lib/ to dist/ (ES modules with declarations), after regenerating the
// HRESULT table from its C++ source, marks the CLI executable, and bundles the
// CommonJS entry dist/index.cjs (package.json "exports" → "require").
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
execFileSync(process.execPath, [join(root, 'scripts/gen-hresults.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts/gen-events.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
const cli = join(root, 'dist/cli/main.js');
if (existsSync(cli)) chmodSync(cli, 0o755);

// CommonJS users get one self-contained file with the same API. It lives in dist/
// like the ES build, so the addon is found from it the same way: `import.meta.url`
// (ESM only) becomes the file's own URL. Dependencies stay external.
const esbuild = require('esbuild');
const result = esbuild.buildSync({
  entryPoints: [join(root, 'lib/index.ts')],
  outfile: join(root, 'dist/index.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  define: { 'import.meta.url': '__vssModuleUrl' },
  banner: { js: "'use strict';\nconst __vssModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  // `await using` is lowered to helpers that need Symbol.asyncDispose; Node 20 has it.
  supported: { 'top-level-await': false },
});
if (result.errors.length > 0 || result.warnings.length > 0) process.exit(1);
// The CommonJS entry's types: the ES declarations again, as .d.cts files TypeScript
// reads as CommonJS (relative imports renamed to match), so that
// `import vss = require('vss-napi')` type-checks in a CommonJS project.
const cjsTypes = join(root, 'dist/cjs-types');
for (const file of readdirSync(join(root, 'dist'), { recursive: true })) {
  if (!file.endsWith('.d.ts') || file.startsWith('cli')) continue;
  const text = readFileSync(join(root, 'dist', file), 'utf8')
    .replace(/(['"])(\.{1,2}\/[^'"]+)\.js\1/g, '$1$2.cjs$1')
    .replace(/^\/\/# sourceMappingURL=.*$/m, '');
  const target = join(cjsTypes, file.replace(/\.d\.ts$/, '.d.cts'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
