/**
 * High-level writer calls: one promise each, with the session handled for you.
 * @module
 */
import type { BackendOption } from './backend.js';
import { checkCorrelateOption, withCorrelatedEvents } from './correlate.js';
import { AbortError, VssWriterError, abortedBy } from './errors.js';
import { hresultValue } from './hresults.js';
import type { WriterMetadata } from './metadata/types.js';
import { BackupSession } from './session.js';
import type { ProgressEvent, WriterStatus } from './types.js';
import { checkFunction, checkOptionsObject, checkSignal, invalidArgType, invalidArgValue, optionKeys } from './validate.js';

/** Options of {@link listWriters}. */
export interface ListWritersOptions {
  /** Which VSS to ask; defaults to the module default (`'native'`). */
  backend?: BackendOption;
  /** Cancels the gathering; the call then rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Called while writers are asked (`GatherWriterMetadata`, `GatherWriterStatus` can take seconds). */
  onProgress?: (event: ProgressEvent) => void;
  /** On failure, attach the VSS-related events logged during the call to the VssError as `events` (default `true`). */
  correlateEvents?: boolean;
}

const LIST_WRITERS_OPTION_KEYS = optionKeys<ListWritersOptions>()({ backend: true, signal: true, onProgress: true, correlateEvents: true });

function checkOptions(options: unknown, keys: readonly string[] = LIST_WRITERS_OPTION_KEYS): ListWritersOptions {
  checkOptionsObject(options, 'options', keys);
  const o = (options ?? {}) as ListWritersOptions;
  checkSignal(o.signal, 'options.signal');
  checkFunction(o.onProgress, 'options.onProgress');
  checkCorrelateOption(o.correlateEvents);
  if (o.signal?.aborted) throw abortedBy(o.signal, () => new AbortError(undefined, { cause: o.signal!.reason }));
  return o;
}

/**
 * Lists the VSS writers with their state and last error, as `vssadmin list writers` does.
 *
 * @example
 * const writers = await listWriters({ backend: 'simulated' });
 * for (const w of writers) console.log(w.name, w.state, w.lastError?.name ?? 'no error');
 */
export async function listWriters(options: ListWritersOptions = {}): Promise<WriterStatus[]> {
  const checked = checkOptions(options);
  const started = Date.now();
  return gatherStatus(checked).catch(async (error: unknown) => Promise.reject(await withCorrelatedEvents(error, checked, started)));
}

async function gatherStatus({ backend, signal, onProgress }: ListWritersOptions): Promise<WriterStatus[]> {
  await using session = await BackupSession.create({ backend, signal });
  await session.initializeForBackup();
  // Writers report status only after they were asked to identify themselves.
  await session.gatherWriterMetadata({ signal, onProgress });
  await session.gatherWriterStatus({ signal, onProgress });
  const writers = await session.getWriterStatus();
  await session.freeWriterStatus();
  return writers;
}

/** Options of {@link getWriterMetadata}. */
export interface GetWriterMetadataOptions extends ListWritersOptions {
  /**
   * Only these writers, by name or class id (case-insensitive); one that is not on the machine is a
   * TypeError, one that is there but gave no metadata a VssWriterError.
   */
  writers?: string[];
}

/**
 * Gathers every writer's metadata: components, files, restore method, and the XML document.
 * A writer that answered the status query but gave no metadata (it failed to identify: VSS leaves
 * it out of GetWriterMetadataCount) rejects the call with a VssWriterError naming it, rather than
 * a list that silently lacks it; with `writers`, only when it is one of those asked for.
 *
 * @example
 * const [system] = await getWriterMetadata({ backend: 'simulated', writers: ['System Writer'] });
 * console.log(system.components.length, system.xml.length);
 */
export async function getWriterMetadata(options: GetWriterMetadataOptions = {}): Promise<WriterMetadata[]> {
  const checked = checkOptions(options, [...LIST_WRITERS_OPTION_KEYS, ...optionKeys<Omit<GetWriterMetadataOptions, keyof ListWritersOptions>>()({ writers: true })]);
  const filter = options.writers;
  if (filter !== undefined && (!Array.isArray(filter) || filter.some((w) => typeof w !== 'string')))
    throw invalidArgType('options.writers', filter, 'an array of writer names or class ids');
  const started = Date.now();
  return gatherMetadata(checked, filter).catch(async (error: unknown) => Promise.reject(await withCorrelatedEvents(error, checked, started)));
}

/** The metadata the writers gave, and the writers that answered the status query but gave none. @internal */
export async function gatherWriterMetadataAndFailures({ backend, signal, onProgress }: ListWritersOptions): Promise<{ metadata: WriterMetadata[]; silent: WriterStatus[] }> {
  await using session = await BackupSession.create({ backend, signal });
  await session.initializeForBackup();
  await session.gatherWriterMetadata({ signal, onProgress });
  const metadata = await session.getWriterMetadata();
  await session.freeWriterMetadata();
  // A writer failing at identify is missing from the metadata but listed by GatherWriterStatus.
  await session.gatherWriterStatus({ signal, onProgress });
  const statuses = await session.getWriterStatus();
  await session.freeWriterStatus();
  return { metadata, silent: statuses.filter((s) => !metadata.some((m) => m.instanceId === s.instanceId)) };
}

const WRITER_FAILED = hresultValue('VSS_E_UNEXPECTED_WRITER_ERROR')!;

/** The error for writers that gave no metadata. @internal */
export function noMetadataError(silent: WriterStatus[]): VssWriterError {
  const first = silent[0]!;
  return new VssWriterError(first.lastError?.hresult ?? WRITER_FAILED, silent, { operation: 'GatherWriterMetadata' });
}

async function gatherMetadata(options: ListWritersOptions, filter: string[] | undefined): Promise<WriterMetadata[]> {
  const { metadata: all, silent } = await gatherWriterMetadataAndFailures(options);
  if (!filter) {
    if (silent.length > 0) throw noMetadataError(silent);
    return all;
  }
  const wanted = filter.map((w) => w.toLowerCase().replace(/[{}]/g, ''));
  const matches = (m: { name: string; writerId: string }, key: string) => m.name.toLowerCase() === key || m.writerId === key;
  const failed = silent.filter((s) => wanted.some((key) => matches(s, key)));
  if (failed.length > 0) throw noMetadataError(failed);
  // A name that matches no writer is a mistake worth saying, not an empty answer.
  wanted.forEach((key, i) => {
    if (!all.some((m) => matches(m, key)))
      throw invalidArgValue(`options.writers[${i}]`, filter[i], `the name or class id of a writer on this machine (${all.map((m) => m.name).join(', ')})`);
  });
  return all.filter((m) => wanted.some((key) => matches(m, key)));
}
