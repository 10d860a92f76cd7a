/**
 * Files a command writes for the user (`health --output`, `check-writer --junit/--record`,
 * `create --save-document/--script`): checked before any work, written atomically, and a
 * failure said in one line that names the option and the user's path.
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// report.js, not program.js: program.js imports the command modules that import this one.
import { UsageError } from './report.js';

/** The code of every output-file refusal, so a caller can tell it from other usage errors. */
export const FILE_NOT_WRITABLE = 'ERR_FILE_NOT_WRITABLE';

/** Fails before any work when `file` could not be written: no name, a folder, or a folder that cannot be written. */
export function checkOutputFile(option: string, file: string | undefined): void {
  if (file === undefined) return;
  if (file === '') throw new UsageError(`${option}: give a file name`, FILE_NOT_WRITABLE);
  const path = resolve(file);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${option} ${file}: is a folder, not a file`, FILE_NOT_WRITABLE);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw new UsageError(`${option} ${file}: its folder cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, FILE_NOT_WRITABLE);
  }
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, then a rename.
 * A failure names the option and the user's path (never the hidden temporary file).
 */
export function writeFileAtomic(path: string, text: string, option = '--output'): void {
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`${option} ${path}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, FILE_NOT_WRITABLE);
  }
}
