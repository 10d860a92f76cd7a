// The real writer metadata documents captured on a Windows Server 2012 machine
// (diskshadow), read from the shared reference folder beside the repository; never copied in.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** VSS_WM_CORPUS_DIR points elsewhere (e.g. to check how the suite reports an absent corpus). */
export const CORPUS_DIR = process.env.VSS_WM_CORPUS_DIR ?? join(repoRoot, '..', 'shared', 'reference', 'writer-metadata', 'ws2012-diskshadow');
export const WM_FILES = Array.from({ length: 11 }, (_, i) => `WM${i}.xml`);
export const BCD_FILE = 'BCDocument.xml';

/** Whether every corpus file is there. */
export const corpusPresent = [...WM_FILES, BCD_FILE].every((f) => existsSync(join(CORPUS_DIR, f)));
/** Under CI the corpus must be there: its absence fails the run instead of skipping. */
export const corpusRequired = process.env.CI === 'true';

export function readCorpus(file: string): string {
  return readFileSync(join(CORPUS_DIR, file), 'utf8');
}

if (!corpusPresent && !corpusRequired)
  console.warn(`writer metadata corpus absent (${CORPUS_DIR}): the corpus tests could NOT run and are reported as skipped`);
