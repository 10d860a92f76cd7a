/**
 * vssapi.dll's free functions about a volume: `IsVolumeSnapshotted` and `ShouldBlockRevert`.
 * Neither needs an initialized `IVssBackupComponents`; each call here opens a session only
 * for the thread (and COM apartment) it runs on.
 * @module
 */
import { BackupSession } from './session.js';
import type { ManagementOptions } from './snapshots.js';
import type { VolumeSnapshotState } from './types.js';
import { checkOptionsObject, optionKeys } from './validate.js';
import { normalizeVolume } from './volumes.js';

/** Options of {@link isVolumeSnapshotted} and {@link shouldBlockRevert}: the backend, and a signal. */
export type VolumeCheckOptions = ManagementOptions;

async function withThread<T>(options: VolumeCheckOptions | undefined, body: (session: BackupSession) => Promise<T>): Promise<T> {
  checkOptionsObject(options as unknown, 'options', optionKeys<VolumeCheckOptions>()({ backend: true, signal: true, journal: true }));
  await using session = await BackupSession.create({ backend: options?.backend, signal: options?.signal });
  return await body(session); // awaited here, so the session outlives the body
}

/**
 * Whether a volume has shadow copies (of any context), and which operations they disable on it
 * ("IsVolumeSnapshotted function (vsbackup.h)"). An unknown volume rejects with `VSS_E_OBJECT_NOT_FOUND`.
 * @example
 * const { snapshotsPresent } = await isVolumeSnapshotted('C:\\', { backend: 'simulated' });
 */
export async function isVolumeSnapshotted(volume: string, options?: VolumeCheckOptions): Promise<VolumeSnapshotState> {
  const name = normalizeVolume(volume, 'volume');
  return withThread(options, (session) => session.isVolumeSnapshotted(name));
}

/**
 * Whether a writer listed under `HKLM\SYSTEM\CurrentControlSet\Services\VSS\Settings\WritersBlockingRevert`
 * has components on the volume, so that reverting it should be refused ("ShouldBlockRevert function
 * (vsbackup.h)"; Windows Server only). {@link revertToShadowCopy} asks it first.
 * @example
 * if (await shouldBlockRevert('C:\\', { backend: 'simulated' })) console.log('a writer blocks reverting C:');
 */
export async function shouldBlockRevert(volume: string, options?: VolumeCheckOptions): Promise<boolean> {
  const name = normalizeVolume(volume, 'volume');
  return withThread(options, (session) => session.shouldBlockRevert(name));
}
