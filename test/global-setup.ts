// Builds dist/ once before the suite: the CLI and example tests run the compiled
// package as users do.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build-ts.mjs')], { stdio: 'inherit' });
}
