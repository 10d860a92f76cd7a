/**
 * Importing a transportable shadow copy set, as `vshadow -i` and diskshadow's `import` do
 * ("Importing Transportable Shadow Copied Volumes"): a hardware provider's set made with the
 * `transportable` attribute is not surfaced where it was made; the Backup Components Document saved
 * then describes it, and a requester (on this or another computer that sees the storage array)
 * brings it in with `InitializeForBackup(document)`, `SetContext(VSS_CTX_ALL)`, `ImportSnapshots`.
 * @module
 */
import type { BackendOption } from './backend.js';
import { parseBackupComponentsDocument } from './metadata/index.js';
import { BackupSession } from './session.js';
import type { ProgressEvent, ShadowCopy } from './types.js';
import { checkFunction, checkOptionsObject, checkSignal, invalidArgType, optionKeys } from './validate.js';

/** Options of {@link importShadowCopySet}. */
export interface ImportOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * The imported set. A persistent set stays after {@link ImportedSet.release}; an auto-release one
 * (made in `VSS_CTX_BACKUP`) lives as long as the importing requester, so until `release()`.
 */
export interface ImportedSet extends AsyncDisposable {
  readonly setId: string;
  readonly persistent: boolean;
  /** The shadow copies now on this computer (`imported` among their attributes). */
  readonly snapshots: ShadowCopy[];
  release(): Promise<void>;
}

/**
 * Imports the transportable set a saved Backup Components Document describes. A document without
 * one is `VSS_E_NONTRANSPORTABLE_BCD`, text that is not a document `VSS_E_INVALID_XML_DOCUMENT`,
 * a set already here `VSS_E_OBJECT_ALREADY_EXISTS`, a computer without the provider that made it
 * `VSS_E_NO_SNAPSHOTS_IMPORTED`.
 * @example
 * // A set made by the system provider is not transportable: its document has nothing to import.
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', writers: 'none' });
 * const { document } = await set.complete({ succeeded: true });
 * await importShadowCopySet(document ?? '', { backend: 'simulated' }).catch((e) => console.log(e.code)); // VSS_E_NONTRANSPORTABLE_BCD
 */
export async function importShadowCopySet(document: string, options: ImportOptions = {}): Promise<ImportedSet> {
  if (typeof document !== 'string') throw invalidArgType('document', document, 'of type string (the saved Backup Components Document)');
  checkOptionsObject(options as unknown, 'options', optionKeys<ImportOptions>()({ backend: true, signal: true, onProgress: true }));
  checkSignal(options.signal, 'options.signal');
  checkFunction(options.onProgress, 'options.onProgress');
  const session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  try {
    await session.initializeForBackup(document);
    await session.setContext(0xffffffff); // VSS_CTX_ALL, as vshadow -i (shadow.cpp)
    await session.setBackupState({ selectComponents: true, backupType: 'full' });
    await session.importSnapshots({ signal: options.signal, onProgress: options.onProgress });
    // The set the document names (VSS accepted the document, so the reader does too).
    const described = parseBackupComponentsDocument(document);
    const setId = described.transportableSet?.snapshotSetId ?? described.snapshotSetId ?? '';
    const snapshots = (await session.querySnapshots()).filter((s) => s.setId === setId);
    const persistent = snapshots.length > 0 && snapshots.every((s) => s.attributes.includes('persistent'));
    return {
      setId,
      persistent,
      snapshots,
      release: () => session.release(),
      [Symbol.asyncDispose]: () => session.release(),
    };
  } catch (error) {
    await session.release();
    throw error;
  }
}
