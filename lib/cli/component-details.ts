// What writers set on their components while handling a backup or restore event (IVssComponent,
// IVssComponentEx2), as lines under the component they belong to: the human form of what `--json`
// carries in full. Only components with something set are named, so a backup of writers that set
// nothing prints nothing here.
import { fileTimeToDate } from '../convert.js';
import type { ComponentStatus } from '../types.js';
import { oneLine } from './table.js';

type Named = ComponentStatus & { writerName?: string };

function label(c: Named): string {
  const path = c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name;
  return c.writerName ? `${c.writerName}: ${path}` : path;
}

function join(path: string, filespec: string): string {
  return path.endsWith('\\') ? `${path}${filespec}` : `${path}\\${filespec}`;
}

/** Lines for the fields a writer sets in a backup (partial files, differenced files, its failure on the component). */
export function backupDetailLines(components: Named[]): string[] {
  const lines: string[] = [];
  for (const c of components) {
    const own: string[] = [];
    for (const p of c.partialFiles)
      own.push(`partial file ${join(p.path, p.filespec)}: ranges ${p.ranges}${p.metadata ? ` (writer's metadata: ${p.metadata})` : ''}`);
    for (const d of c.differencedFiles) {
      const since = d.lastModifyTime !== null ? `changed since ${fileTimeToDate(d.lastModifyTime).toISOString()}` : 'changed since the last backup (no time given)';
      own.push(`differenced files ${join(d.path, d.filespec)}${d.recursive ? ' and below' : ''}: only if ${since}`);
    }
    if (c.failure && c.failure.error.hresult !== 0) {
      const app = c.failure.applicationError ? `, application error ${c.failure.applicationError.name}` : '';
      own.push(`failed: ${c.failure.error.name}${app}${c.failure.message ? `: ${c.failure.message}` : ''}`);
    }
    // Writer names, paths and messages are the writer's text: one line each, control characters escaped.
    if (own.length > 0) lines.push(`  ${oneLine(label(c))}`, ...own.map((l) => `    ${oneLine(l)}`));
  }
  return lines;
}

/**
 * Lines for the fields a writer sets in PreRestore (restore target, directed targets, restore metadata),
 * and a failure on record for the component (set in the backup or in PreRestore: GetFailure tells not which).
 */
export function restoreDetailLines(components: Named[]): string[] {
  const lines: string[] = [];
  for (const c of components) {
    const own: string[] = [];
    if (c.restoreTarget !== 'unknown') own.push(`restore target: ${c.restoreTarget}`);
    for (const t of c.directedTargets)
      own.push(`directed: ${join(t.sourcePath, t.sourceFilespec)} [${t.sourceRanges}] -> ${join(t.targetPath, t.targetFilespec)} [${t.targetRanges}]`);
    if (c.restoreMetadata !== null) own.push(`restore metadata: ${c.restoreMetadata}`);
    if (c.failure && c.failure.error.hresult !== 0) {
      const app = c.failure.applicationError ? `, application error ${c.failure.applicationError.name}` : '';
      own.push(`failure on record: ${c.failure.error.name}${app}${c.failure.message ? `: ${c.failure.message}` : ''}`);
    }
    // Writer names, paths and messages are the writer's text: one line each, control characters escaped.
    if (own.length > 0) lines.push(`  ${oneLine(label(c))}`, ...own.map((l) => `    ${oneLine(l)}`));
  }
  return lines;
}
