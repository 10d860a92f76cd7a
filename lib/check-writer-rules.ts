/**
 * The writer contract `checkWriter` checks: seven rules, each with the Microsoft
 * documentation it comes from, and the metadata checks of rule 2 (pure functions).
 * @module
 */
import type { FileDescriptor, WriterComponent, WriterMetadata } from './metadata/types.js';

/** A rule of the writer contract, and where Microsoft documents it. */
export interface WriterRule {
  /** 1 to 7. */
  rule: number;
  /** A stable short name: `'health'`, `'metadata'`, `'states'`, `'freeze-window'`, `'backup-stamp'`, `'abort'`, `'restore'`. */
  id: string;
  title: string;
  /** The documentation pages (learn.microsoft.com titles) the rule comes from. */
  sources: string[];
}

/** The rules, in order; the CLI's help and the JUnit output list them from here. */
export const WRITER_RULES: readonly WriterRule[] = [
  {
    rule: 1,
    id: 'health',
    title: 'listed, stable and without a last error before the run, and stable without a last error after it and once its session is released',
    sources: ['VSS_WRITER_STATE enumeration (vss.h)', 'IVssBackupComponents::GetWriterStatus', 'CVssWriter::OnBackupShutdown'],
  },
  {
    rule: 2,
    id: 'metadata',
    title: 'metadata well-formed and the same on two identify passes',
    sources: [
      'CVssWriter::OnIdentify',
      'IVssCreateWriterMetadata::AddComponent',
      'Logical Pathing of Components',
      'IVssCreateWriterMetadata::AddComponentDependency',
      'IVssCreateWriterMetadata::AddExcludeFiles',
      'VSS_RESTOREMETHOD_ENUM enumeration (vswriter.h)',
    ],
  },
  {
    rule: 3,
    id: 'states',
    title: 'goes through the documented states in order, never to a failed state',
    sources: ['VSS_WRITER_STATE enumeration (vss.h)', 'Overview of Processing a Backup Under VSS'],
  },
  {
    rule: 4,
    id: 'freeze-window',
    title: "freeze to thaw within the writer's timeout and VSS's 10-second flush-and-hold window",
    sources: ['CVssWriter::OnFreeze (60 s default freeze-to-thaw timeout)', 'CVssWriter::Initialize (dwTimeoutFreeze)', 'IVssProviderCreateSnapshotSet::CommitSnapshots (the Flush and Hold window kernel support cancels after a fixed time-out; 10 s, KB 975688)', 'IVssBackupComponents::DoSnapshotSet (VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_HOLD_WRITES_TIMEOUT)'],
  },
  {
    rule: 5,
    id: 'backup-stamp',
    title: 'components of a timestamped incremental/differential writer carry a backup stamp after BackupComplete',
    sources: ['IVssComponent::SetBackupStamp', 'IVssComponent::GetBackupStamp', 'VSS_BACKUP_SCHEMA enumeration (VSS_BS_TIMESTAMPED)', 'Writer Role in VSS Incremental and Differential Backups'],
  },
  {
    rule: 6,
    id: 'abort',
    title: 'after AbortBackup the writer is stable without a last error (aborted after DoSnapshotSet, it heard no Abort and still waits for BackupComplete), and the next full run succeeds',
    sources: ['IVssBackupComponents::AbortBackup', 'CVssWriter::OnAbort ("not called if the writer has called CVssWriter::OnPostSnapshot")', 'Aborting VSS Operations'],
  },
  {
    rule: 7,
    id: 'restore',
    title: 'PreRestore and PostRestore succeed, the file restore status is kept, the writer ends stable',
    sources: ['IVssBackupComponents::PreRestore', 'IVssBackupComponents::PostRestore', 'IVssBackupComponents::SetFileRestoreStatus', 'Overview of Processing a Restore Under VSS'],
  },
];

/** VSS_BACKUP_SCHEMA bits (vss.h). */
export const BackupSchemaBits = { differential: 0x1, incremental: 0x2, timestamped: 0x20 } as const;

/** Whether the writer uses backup stamps for incremental or differential backups (VSS_BS_TIMESTAMPED with either). */
export function usesBackupStamps(metadata: Pick<WriterMetadata, 'backupSchema'>): boolean {
  const s = metadata.backupSchema;
  return (s & BackupSchemaBits.timestamped) !== 0 && (s & (BackupSchemaBits.differential | BackupSchemaBits.incremental)) !== 0;
}

function label(c: Pick<WriterComponent, 'logicalPath' | 'name'>): string {
  return c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name;
}

/** A filespec as a case-insensitive pattern (`*` and `?`, as Windows matches them). */
function specPattern(spec: string): RegExp {
  const body = spec.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function normalizedFolder(path: string): string {
  return path.replace(/[\\/]+$/, '').toLowerCase();
}

/**
 * Whether an exclusion covers a file specification: the same folder (or an ancestor of it when
 * recursive) and a filespec matching it ("IVssCreateWriterMetadata::AddExcludeFiles").
 */
export function excludeCovers(exclude: FileDescriptor, file: FileDescriptor): boolean {
  const ex = normalizedFolder(exclude.path);
  const at = normalizedFolder(file.path);
  const inFolder = ex === at || (exclude.recursive && at.startsWith(`${ex}\\`));
  return inFolder && specPattern(exclude.filespec).test(file.filespec);
}

/** The metadata's shape without the raw document, for comparing two identify passes. */
function comparable(m: WriterMetadata): string {
  const { xml: _xml, ...rest } = m;
  return JSON.stringify(rest);
}

/** What differs between two metadata documents, in words (the first few differences). */
export function metadataDifferences(first: WriterMetadata, second: WriterMetadata): string[] {
  const out: string[] = [];
  for (const key of Object.keys(first) as (keyof WriterMetadata)[]) {
    if (key === 'xml' || key === 'components') continue;
    if (JSON.stringify(first[key]) !== JSON.stringify(second[key])) out.push(`${key}: ${JSON.stringify(first[key])} then ${JSON.stringify(second[key])}`);
  }
  const byLabel = (list: WriterComponent[]) => new Map(list.map((c) => [label(c), c]));
  const a = byLabel(first.components);
  const b = byLabel(second.components);
  for (const [name, c] of a) {
    const other = b.get(name);
    if (!other) out.push(`component ${name} missing the second time`);
    else
      for (const key of Object.keys(c) as (keyof WriterComponent)[])
        if (JSON.stringify(c[key]) !== JSON.stringify(other[key])) out.push(`component ${name} ${key}: ${JSON.stringify(c[key])} then ${JSON.stringify(other[key])}`);
  }
  for (const name of b.keys()) if (!a.has(name)) out.push(`component ${name} new the second time`);
  return out.slice(0, 5);
}

/** The restore methods that name a service to stop and start (VSS_RESTOREMETHOD_ENUM). */
const SERVICE_METHODS = new Set(['stop-restore-start', 'restore-stop-start']);

/**
 * Rule 2's checks of one writer's metadata: two identify passes (`second` may be null when the
 * second pass gave none), and the other writers' metadata for dependencies. Returns the
 * failures, and notes (what the documentation allows but a reader may want to know).
 */
export function checkMetadata(
  first: WriterMetadata,
  second: WriterMetadata | null,
  others: readonly WriterMetadata[],
): { failures: string[]; notes: string[] } {
  const failures: string[] = [];
  const notes: string[] = [];
  if (second === null) failures.push('the second identify pass gave no metadata for this writer');
  else if (comparable(first) !== comparable(second)) failures.push(`the two identify passes differ: ${metadataDifferences(first, second).join('; ')}`);
  else if (first.xml !== second.xml) notes.push('the two documents differ in their XML text only (same content)');

  const seen = new Set<string>();
  for (const c of first.components) {
    const name = label(c);
    if (!c.name) failures.push(`a component${c.logicalPath ? ` under ${c.logicalPath}` : ''} has no name`);
    if (c.type !== 'database' && c.type !== 'file-group') failures.push(`component ${name} has type ${c.type} (${c.typeCode}): not VSS_CT_DATABASE or VSS_CT_FILEGROUP`);
    if (seen.has(name.toLowerCase())) failures.push(`logical path ${name} is used by two components`);
    seen.add(name.toLowerCase());
    if (c.type === 'database' && c.databaseFiles.length === 0)
      failures.push(`database component ${name} lists no database files (IVssCreateWriterMetadata::AddDatabaseFiles)`);
    if (c.type === 'file-group' && c.files.length === 0)
      // Microsoft's own ASR Writer declares such components (Volumes, Disks): allowed, noted.
      notes.push(`file-group component ${name} lists no files`);
    for (const file of [...c.files, ...c.databaseFiles, ...c.logFiles])
      for (const ex of first.excludeFiles)
        if (excludeCovers(ex, file)) failures.push(`exclusion ${ex.path}\\${ex.filespec} covers component ${name}'s own files ${file.path}\\${file.filespec}`);
    for (const d of c.dependencies) {
      const target = d.writerId === first.writerId ? [first] : others.filter((o) => o.writerId === d.writerId);
      const dep = `${d.logicalPath ? `${d.logicalPath}\\` : ''}${d.componentName}`;
      if (target.length === 0) notes.push(`component ${name} depends on ${dep} of writer ${d.writerId}, which is not on this machine`);
      else if (!target.some((t) => t.components.some((x) => x.name.toLowerCase() === d.componentName.toLowerCase() && (x.logicalPath ?? '').toLowerCase() === (d.logicalPath ?? '').toLowerCase())))
        failures.push(`component ${name} depends on ${dep}, which writer ${target[0]!.name} does not have`);
    }
  }
  if (first.components.length > 0) {
    const r = first.restoreMethod;
    if (r === null) failures.push('the writer has components but no restore method (IVssCreateWriterMetadata::SetRestoreMethod)');
    else if (r.method === 'unknown') failures.push(`restore method ${r.methodCode} is not a VSS_RESTOREMETHOD_ENUM value`);
    else if (SERVICE_METHODS.has(r.method) && !r.service) failures.push(`restore method ${r.method} names no service to stop and start`);
    else if (r.method === 'custom' && !r.userProcedure) notes.push('restore method custom without a user procedure');
  }
  return { failures, notes };
}
