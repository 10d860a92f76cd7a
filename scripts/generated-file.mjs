// Writes a file generated from a native table, or with `--check` exits non-zero
// when the file on disk is stale (npm test's first stage), so the C++ table and
// its TypeScript copy never drift.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export function writeGenerated(root, target, output, script) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== output) {
      console.error(`${relative(root, target)} is stale: run node ${script}`);
      process.exit(1);
    }
  } else if (current !== output) {
    writeFileSync(target, output);
  }
}
