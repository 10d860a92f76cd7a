/**
 * The package's version, read from package.json (two folders up from dist/cli/ and lib/cli/).
 * Its own module so `vss --version` answers without loading the commands.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
