/**
 * Breaking a shadow copy set off VSS, as `vshadow -bex` does (shadow.cpp: Initialize(VSS_CTX_ALL),
 * then BreakSnapshotSetEx with the requester's flags).
 * @module
 */
import type { BackendOption } from './backend.js';
import { BackupSession } from './session.js';
import type { ProgressEvent } from './types.js';
import { checkGuid, checkOptionsObject, optionKeys } from './validate.js';

/** Options of {@link breakShadowCopySet}. */
export interface BreakOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** `VSS_BREAKEX_FLAG_MAKE_READ_WRITE`: the broken volumes become writable. */
  makeReadWrite?: boolean;
  /** `VSS_BREAKEX_FLAG_MASK_LUNS`: the shadow copy LUNs are masked from this computer. */
  maskLuns?: boolean;
  /** `VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL` / `_NONE`: which disk identifiers the broken LUNs keep. */
  revertIdentity?: 'all' | 'none';
}

const BREAK_OPTION_KEYS = optionKeys<BreakOptions>()({ backend: true, signal: true, onProgress: true, makeReadWrite: true, maskLuns: true, revertIdentity: true });

/**
 * Breaks a hardware provider's shadow copy set: its shadow copies stay volumes but VSS forgets
 * them ("IVssBackupComponentsEx2::BreakSnapshotSetEx"). The system provider's sets cannot be
 * broken (`VSS_E_PROVIDER_VETO`); an unknown set is `VSS_E_OBJECT_NOT_FOUND`.
 * @example
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true, writers: 'none' });
 * await set.complete({ succeeded: true });
 * // The system provider's sets cannot be broken: VSS_E_PROVIDER_VETO.
 * await breakShadowCopySet(set.setId, { backend: 'simulated', makeReadWrite: true }).catch((e) => console.log(e.code));
 */
export async function breakShadowCopySet(setId: string, options: BreakOptions = {}): Promise<void> {
  const id = checkGuid(setId, 'setId');
  checkOptionsObject(options as unknown, 'options', BREAK_OPTION_KEYS);
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  await session.initializeForBackup();
  await session.setContext(0xffffffff); // VSS_CTX_ALL, as vshadow -bex
  const { backend: _backend, ...rest } = options;
  await session.breakSnapshotSetEx(id, rest);
}
