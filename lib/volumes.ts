/**
 * Volume names as users write them, checked and put in the one form VSS takes:
 * `C:\`, a mount folder `C:\mnt\data\`, or `\\?\Volume{guid}\`.
 * @internal
 * @module
 */
import { invalidArgType, invalidArgValue, outOfRange } from './validate.js';

const DRIVE = /^([A-Za-z]):\\?$/;
const VOLUME_GUID = /^\\\\\?\\Volume\{([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}\\?$/;
// A remote file share, \\server\share\ (IVssBackupComponents::AddToSnapshotSet: "A UNC path that
// specifies a remote file share, for example, \\Clusterx\Share1\"); not \\?\ or \\.\ device paths,
// not a folder inside the share.
const UNC_SHARE = /^\\\\([^\\/:*?"<>|\0.][^\\/:*?"<>|\0]*)\\([^\\/:*?"<>|\0]+)\\?$/;
const MOUNT_FOLDER = /^([A-Za-z]):\\(?:[^\\/:*?"<>|\0]+\\)*[^\\/:*?"<>|\0]+\\?$/;

/** VSS takes at most this many volumes in one snapshot set. */
export const MAX_VOLUMES_PER_SET = 64;

/**
 * Checks one volume name and returns its canonical form (upper-case drive, trailing backslash).
 * `shares`: a remote file share `\\server\share\` is accepted too, where VSS takes one
 * (AddToSnapshotSet); the volume-only calls (IsVolumeSnapshotted, diff areas, ...) do not.
 */
export function normalizeVolume(volume: unknown, name = 'volume', shares = false): string {
  if (typeof volume !== 'string') throw invalidArgType(name, volume, "a volume name such as 'C:\\'");
  if (volume.includes('\0')) throw invalidArgValue(name, volume, 'a volume name without NUL characters');
  const drive = DRIVE.exec(volume);
  if (drive) return `${drive[1]!.toUpperCase()}:\\`;
  const guid = VOLUME_GUID.exec(volume);
  if (guid) return `\\\\?\\Volume{${guid[1]!.toLowerCase()}}\\`;
  if (MOUNT_FOLDER.test(volume) && !volume.split('\\').some((part) => part === '..' || part === '.')) {
    const withSlash = volume.endsWith('\\') ? volume : `${volume}\\`;
    return `${withSlash[0]!.toUpperCase()}${withSlash.slice(1)}`;
  }
  const share = shares ? UNC_SHARE.exec(volume) : null;
  if (share && share[2] !== '.' && share[2] !== '..') return `\\\\${share[1]}\\${share[2]}\\`;
  throw invalidArgValue(
    name,
    volume,
    shares
      ? "a volume: a drive ('C:\\'), a mount folder ('C:\\mnt\\data\\'), a volume GUID path ('\\\\?\\Volume{…}\\') or a remote file share ('\\\\server\\share\\'); device paths, folders inside a share and '..' are not volumes"
      : "a volume: a drive ('C:\\'), a mount folder ('C:\\mnt\\data\\') or a volume GUID path ('\\\\?\\Volume{…}\\'); device paths, UNC paths and '..' are not volumes",
  );
}

/** Checks a list of volumes: 1 to 64 of them, no duplicates. */
export function normalizeVolumeList(volumes: unknown, name = 'volumes', shares = false): string[] {
  const list = typeof volumes === 'string' ? [volumes] : volumes;
  if (!Array.isArray(list)) throw invalidArgType(name, volumes, 'a volume name or an array of them');
  if (list.length === 0) throw outOfRange(`${name}.length`, 0, `from 1 to ${MAX_VOLUMES_PER_SET}`);
  if (list.length > MAX_VOLUMES_PER_SET) throw outOfRange(`${name}.length`, list.length, `from 1 to ${MAX_VOLUMES_PER_SET}`);
  const seen = new Set<string>();
  return list.map((v, i) => {
    const canonical = normalizeVolume(v, `${name}[${i}]`, shares);
    if (seen.has(canonical.toLowerCase())) throw invalidArgValue(`${name}[${i}]`, v, 'a volume not already in the list');
    seen.add(canonical.toLowerCase());
    return canonical;
  });
}

/**
 * Splits an absolute Windows path into the volume it lies on (the longest of
 * `volumes` that prefixes it) and the rest; `null` when none does.
 */
export function splitPath(path: string, volumes: string[]): { volume: string; rest: string } | null {
  const lower = path.toLowerCase();
  let best: string | null = null;
  for (const v of volumes) {
    const prefix = v.toLowerCase();
    const bare = prefix.slice(0, -1);
    if ((lower.startsWith(prefix) || lower === bare) && (!best || v.length > best.length)) best = v;
  }
  if (!best) return null;
  return { volume: best, rest: path.slice(best.length) };
}
