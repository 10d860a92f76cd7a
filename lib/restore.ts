/**
 * A restore in one call, in the order of VShadow's `-r` (shadow.cpp, vssclient.cpp) and
 * Microsoft's "Overview of Processing a Restore Under VSS": InitializeForRestore(document) →
 * GatherWriterMetadata → GatherWriterStatus → [SetRestoreState] → SetSelectedForRestore for each
 * chosen component → [AddRestoreSubcomponent] → PreRestore → [AddAlternativeLocationMapping] → the
 * caller's copy step → [SetRangesFilePath] → SetFileRestoreStatus → PostRestore → GatherWriterStatus.
 * @module
 */
import type { BackendOption } from './backend.js';
import type { FileRestoreStatus, RestoreType } from './enums.js';
import { RestoreTypes } from './enums.js';
import { VssMissingWritersError, VssWriterError } from './errors.js';
import { hresultValue } from './hresults.js';
import { hostingServiceOf } from './services.js';
import { BackupSession } from './session.js';
import type { WriterMetadata } from './metadata/types.js';
import type { ComponentRef, ComponentStatus, MissingWriter, ProgressEvent, WriterStatus } from './types.js';
import { checkBoolean, checkFunction, checkObject, checkOptionsObject, checkString, invalidArgType, invalidArgValue, optionKeys } from './validate.js';

/** Options of {@link restore}. */
export interface RestoreOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  /**
   * The components to restore, each as its name, `logicalPath\name`, or a writer's name (all its
   * components in the document). Default: every component the document says was backed up.
   */
  components?: string[];
  /** `SetRestoreState` before PreRestore; left out, VSS's default (`VSS_RTYPE_UNDEFINED`, read as by-copy). */
  restoreType?: Exclude<RestoreType, 'unknown'>;
  /**
   * Puts the files back, between PreRestore and PostRestore. Resolving marks every selected
   * component `'all'` (`SetFileRestoreStatus`); throwing marks them `'failed'`, PostRestore still
   * runs, and `restore` rejects with what it threw. Left out, nothing is copied and the status is `'none'`.
   */
  copy?: (plan: RestorePlan) => Promise<void> | void;
  /**
   * Subcomponents to restore on their own (`AddRestoreSubcomponent`, before PreRestore), each as
   * its full logical path (`logicalPath\name`); it must lie under a restored component and be
   * selectable for restore in the writer's metadata.
   */
  subcomponents?: string[];
  /**
   * Restore to the writers' alternate locations: for every restored component's file set the
   * writer declared an alternate location mapping for (`IVssExamineWriterMetadata::
   * GetAlternateLocationMapping`), `AddAlternativeLocationMapping` after PreRestore; `copy` is
   * given them in `plan.alternateLocations` ("Working with Alternate Locations during Restore").
   */
  alternateLocations?: boolean;
  /**
   * Ranges files of partial files restored elsewhere (`SetRangesFilePath`, after `copy`): the
   * component (as in `components`), the partial file's index in its `partialFiles`, the new path.
   */
  rangesFiles?: { component: string; partialFile: number; path: string }[];
  /**
   * Restore components whose writer is not on this machine (default `false`: refused with
   * `VssMissingWritersError`, code `ERR_VSS_WRITER_MISSING`, before PreRestore). VSS itself goes on
   * without a word: PreRestore and PostRestore reach only the writers present, so those files go
   * back as in a restore without VSS. Microsoft's "Restores without Writer Participation" leaves
   * that choice to the requester ("must determine whether it is desirable to restore files for
   * missing writers"); with `true` the result's `missingWriters` names them.
   */
  allowMissingWriters?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

/** What the copy step is given. */
export interface RestorePlan {
  /** The components selected for restore. */
  components: ComponentRef[];
  /** With `alternateLocations`: the file sets to put in their writer's alternate location. */
  alternateLocations: AlternateLocation[];
}

/** A file set restored to its writer's alternate location (`AddAlternativeLocationMapping`). */
export interface AlternateLocation {
  component: ComponentRef;
  path: string;
  filespec: string;
  recursive: boolean;
  destination: string;
}

/** What {@link restore} did. */
export interface RestoreResult {
  /** The components selected for restore. */
  components: ComponentRef[];
  /** Subcomponents restored on their own (`AddRestoreSubcomponent`), as full logical paths. */
  subcomponents: string[];
  /** The alternate location mappings reported to the writers. */
  alternateLocations: AlternateLocation[];
  /**
   * The restored components as the writers left them after PreRestore (`GetWriterComponents`):
   * what a writer set in `OnPreRestore` for the copy step to honour (`restoreTarget`,
   * `directedTargets`, `restoreMetadata`), and its `failure` on a component.
   */
  restoredComponents: Array<ComponentStatus & { writerId: string; instanceId: string; writerName: string }>;
  /** The status given to each with `SetFileRestoreStatus`. */
  fileRestoreStatus: FileRestoreStatus;
  /** After PostRestore, the status of each writer whose components were restored. */
  writers: WriterStatus[];
  /**
   * Writers of restored components that are not on this machine (only with `allowMissingWriters`):
   * none of them heard PreRestore or PostRestore. Empty when every writer took part.
   */
  missingWriters: MissingWriter[];
}

const WRITER_FAILED = hresultValue('VSS_E_UNEXPECTED_WRITER_ERROR')!;

const RESTORE_OPTION_KEYS = optionKeys<RestoreOptions>()({ backend: true, signal: true, components: true, restoreType: true, copy: true, subcomponents: true, alternateLocations: true, rangesFiles: true, allowMissingWriters: true, onProgress: true });

function checkOptions(options: unknown): asserts options is RestoreOptions | undefined {
  checkOptionsObject(options, 'options', RESTORE_OPTION_KEYS);
  const o = (options ?? {}) as RestoreOptions;
  if (o.components !== undefined) {
    if (!Array.isArray(o.components)) throw invalidArgType('options.components', o.components, 'an array of component or writer names');
    o.components.forEach((c, i) => {
      checkString(c, `options.components[${i}]`);
      if (c === '') throw invalidArgValue(`options.components[${i}]`, c, 'a component or writer name');
    });
  }
  if (o.restoreType !== undefined && (!RestoreTypes.has(o.restoreType) || (o.restoreType as string) === 'unknown'))
    throw invalidArgValue('options.restoreType', o.restoreType, "'by-copy', 'import' or 'other'");
  if (o.subcomponents !== undefined) {
    if (!Array.isArray(o.subcomponents)) throw invalidArgType('options.subcomponents', o.subcomponents, 'an array of logical paths');
    o.subcomponents.forEach((c, i) => {
      checkString(c, `options.subcomponents[${i}]`);
      if (!c.includes('\\')) throw invalidArgValue(`options.subcomponents[${i}]`, c, 'a full logical path (logicalPath\\name)');
    });
  }
  if (o.alternateLocations !== undefined) checkBoolean(o.alternateLocations, 'options.alternateLocations');
  if (o.allowMissingWriters !== undefined) checkBoolean(o.allowMissingWriters, 'options.allowMissingWriters');
  if (o.rangesFiles !== undefined) {
    if (!Array.isArray(o.rangesFiles)) throw invalidArgType('options.rangesFiles', o.rangesFiles, 'an array of { component, partialFile, path }');
    o.rangesFiles.forEach((r, i) => {
      checkObject(r, `options.rangesFiles[${i}]`);
      checkString(r.component, `options.rangesFiles[${i}].component`);
      checkString(r.path, `options.rangesFiles[${i}].path`);
      if (!Number.isInteger(r.partialFile) || (r.partialFile as number) < 0) throw invalidArgValue(`options.rangesFiles[${i}].partialFile`, r.partialFile, 'a partial file index (0, 1, ...)');
    });
  }
  checkFunction(o.copy, 'options.copy');
  checkFunction(o.onProgress, 'options.onProgress');
}

/**
 * Restores from a Backup Components Document (the one a backup saved): the writers are told
 * before the files go back (PreRestore) and after (PostRestore). Rejects with `VssWriterError`
 * when a writer of a restored component is failed after PostRestore; a name in `components` that
 * the document lacks is `ERR_INVALID_ARG_VALUE`.
 * @example
 * const document = readFileSync('backup-components.xml', 'utf8'); // saved by the backup
 * const result = await restore(document, {
 *   backend: 'simulated',
 *   components: ['System Writer'], // every component of that writer in the document
 *   copy: async ({ components }) => {
 *     // put the files of `components` back here
 *   },
 * });
 * console.log(result.writers.map((w) => [w.name, w.state]));
 */
export async function restore(document: string, options?: RestoreOptions): Promise<RestoreResult> {
  checkString(document, 'document');
  checkOptions(options);
  const o = options ?? {};
  const call = { signal: o.signal, onProgress: o.onProgress };
  await using session = await BackupSession.create({ backend: o.backend, signal: o.signal });
  await session.initializeForRestore(document);
  await session.gatherWriterMetadata(call);
  await session.gatherWriterStatus(call);
  const present = await session.getWriterStatus();
  const names = new Map(present.map((w) => [w.instanceId, w.name]));
  await session.freeWriterStatus(); // as GatherWriterStatus's page asks, once the status is read
  const documentWriters = await session.getWriterComponents();
  const chosen = choose(documentWriters, names, o.components);
  // Nothing to restore is the caller's mistake (a document of a backup without components), not a silent success.
  if (chosen.length === 0)
    throw invalidArgValue('document', `${document.slice(0, 80)}...`, 'a Backup Components Document with a component backed up (one made with components selected)');
  // By class id: an instance id can change when the writer's service restarts, its class cannot.
  const missingWriters = missing(chosen, new Set(present.map((w) => w.writerId.toLowerCase())));
  if (missingWriters.length > 0 && !o.allowMissingWriters) throw new VssMissingWritersError(missingWriters);
  if (o.restoreType !== undefined) await session.setRestoreState(o.restoreType);
  for (const component of chosen) await session.setSelectedForRestore(component, true);
  const subcomponents = o.subcomponents ?? [];
  for (const [i, path] of subcomponents.entries()) {
    const cut = path.lastIndexOf('\\');
    const parent = chosen.find((c) => path.toLowerCase().startsWith(`${fullPath(c).toLowerCase()}\\`));
    if (!parent) throw invalidArgValue(`options.subcomponents[${i}]`, path, 'a logical path under a restored component');
    await session.addRestoreSubcomponent(parent, { logicalPath: path.slice(0, cut), name: path.slice(cut + 1) });
  }
  // Resolved before PreRestore so that a bad name fails before the writers hear of the restore.
  const ranges = (o.rangesFiles ?? []).map((r, i) => {
    const ref = choose(documentWriters, names, [r.component], `options.rangesFiles[${i}].component`)[0]!;
    const record = documentWriters.find((w) => w.instanceId === ref.instanceId)?.components.find((c) => c.name === ref.name && c.logicalPath === (ref.logicalPath ?? ''));
    const count = record?.partialFiles.length ?? 0;
    if (r.partialFile >= count)
      throw invalidArgValue(`options.rangesFiles[${i}].partialFile`, r.partialFile, `the index of one of ${fullPath(ref)}'s partial files in the document (it has ${count})`);
    return { ...r, ref };
  });
  await session.preRestore(call);
  const afterPreRestore = await session.getWriterComponents();
  const restoredComponents = chosen.flatMap((ref) => {
    const writer = afterPreRestore.find((w) => w.instanceId === ref.instanceId);
    const c = writer?.components.find((x) => x.name === ref.name && x.logicalPath === (ref.logicalPath ?? ''));
    return writer && c ? [{ ...c, writerId: writer.writerId, instanceId: writer.instanceId, writerName: names.get(writer.instanceId) ?? '' }] : [];
  });
  const alternateLocations = o.alternateLocations ? mappingsFor(chosen, await session.getWriterMetadata()) : [];
  for (const a of alternateLocations)
    await session.addAlternativeLocationMapping(a.component, { path: a.path, filespec: a.filespec, recursive: a.recursive, destination: a.destination });
  let status: FileRestoreStatus = o.copy ? 'all' : 'none';
  let failure: unknown;
  try {
    if (o.copy) await o.copy({ components: chosen.map((c) => ({ ...c })), alternateLocations: alternateLocations.map((a) => ({ ...a, component: { ...a.component } })) });
    for (const r of ranges) await session.setRangesFilePath(r.ref, r.partialFile, r.path);
  } catch (error) {
    status = 'failed';
    failure = error;
  }
  // The writers hear how the copy went whatever happened (VShadow: SetFileRestoreStatus, then PostRestore).
  for (const component of chosen) await session.setFileRestoreStatus(component, status);
  await session.postRestore(call);
  if (failure !== undefined) throw failure;
  await session.gatherWriterStatus(call);
  const involved = new Set(chosen.map((c) => c.instanceId));
  const writers = (await session.getWriterStatus()).filter((w) => involved.has(w.instanceId));
  await session.freeWriterStatus();
  const failed = writers.filter((w) => w.state.startsWith('failed-'));
  if (failed.length > 0) throw new VssWriterError(failed[0]!.lastError?.hresult ?? WRITER_FAILED, failed, { operation: 'Restore' });
  return { components: chosen, subcomponents, alternateLocations, restoredComponents, fileRestoreStatus: status, writers, missingWriters };
}

/** The writers of `chosen` with no writer of their class on the machine, each with its chosen components. */
function missing(chosen: ComponentRef[], presentClasses: Set<string>): MissingWriter[] {
  const result: MissingWriter[] = [];
  for (const c of chosen) {
    if (presentClasses.has(c.writerId.toLowerCase())) continue;
    let writer = result.find((w) => w.instanceId === c.instanceId);
    if (!writer) {
      writer = { writerId: c.writerId, instanceId: c.instanceId, name: hostingServiceOf({ writerId: c.writerId })?.writer ?? null, components: [] };
      result.push(writer);
    }
    writer.components.push(fullPath(c));
  }
  return result;
}

function fullPath(c: { logicalPath?: string; name: string }): string {
  return c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name;
}

/**
 * The writers' alternate location mappings that match a file set of a restored component (path,
 * file specification and recursion, as AddAlternativeLocationMapping's page requires).
 */
function mappingsFor(chosen: ComponentRef[], metadata: WriterMetadata[]): AlternateLocation[] {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const result: AlternateLocation[] = [];
  for (const component of chosen) {
    const writer = metadata.find((w) => w.instanceId === component.instanceId);
    const declared = writer?.components.find((c) => same(c.name, component.name) && same(c.logicalPath, component.logicalPath ?? ''));
    if (!writer || !declared) continue;
    const sets = [...declared.files, ...declared.databaseFiles, ...declared.logFiles];
    for (const m of writer.alternateLocationMappings)
      if (m.alternatePath && sets.some((f) => same(f.path, m.path) && same(f.filespec, m.filespec) && f.recursive === m.recursive))
        result.push({ component, path: m.path, filespec: m.filespec, recursive: m.recursive, destination: m.alternatePath });
  }
  return result;
}

/** The document's components the options name (default: those backed up successfully). */
function choose(
  documentWriters: Awaited<ReturnType<BackupSession['getWriterComponents']>>,
  writerNames: Map<string, string>,
  wanted: string[] | undefined,
  argument = 'options.components',
): ComponentRef[] {
  const all = documentWriters.flatMap((w) =>
    w.components.map((c) => ({
      ref: { writerId: w.writerId, instanceId: w.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name } as ComponentRef,
      writerName: writerNames.get(w.instanceId) ?? '',
      backupSucceeded: c.backupSucceeded,
    })),
  );
  if (wanted === undefined) return all.filter((c) => c.backupSucceeded).map((c) => c.ref);
  const picked: ComponentRef[] = [];
  for (const [i, name] of wanted.entries()) {
    const key = name.toLowerCase();
    const matches = all.filter(
      (c) =>
        c.ref.name.toLowerCase() === key ||
        (c.ref.logicalPath ? `${c.ref.logicalPath}\\${c.ref.name}` : c.ref.name).toLowerCase() === key ||
        c.writerName.toLowerCase() === key,
    );
    if (matches.length === 0) throw invalidArgValue(argument === 'options.components' ? `${argument}[${i}]` : argument, name, 'a component (name or logicalPath\\name) or writer of the Backup Components Document');
    for (const m of matches) if (!picked.some((p) => p.instanceId === m.ref.instanceId && p.logicalPath === m.ref.logicalPath && p.name === m.ref.name)) picked.push(m.ref);
  }
  return picked;
}
