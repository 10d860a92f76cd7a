/**
 * The one path→volume resolver: which volume of the backend's machine a path lies on. The
 * planner ({@link planBackup}: which volumes a writer's files need), `SnapshotSet#pathFor`
 * (which shadow copy to read a file from) and the mounted-volume option of `createSnapshotSet`
 * all ask it, so they cannot disagree about a mount folder.
 * @internal
 * @module
 */
import { simulatorOf, type BackendOption } from './backend.js';
import { VssMountPointsError } from './errors.js';
import { loadAddon } from './native.js';
import type { VolumeResolver } from './selection.js';
import { splitPath } from './volumes.js';

/** Where a path lies. */
export interface VolumeHit {
  /** Lower-case `\\?\volume{…}\`; `drive:x:\` for a drive letter the system cannot name (see {@link machineResolver}). */
  key: string;
  /** A name to show: the simulator's volume name, the drive (upper-case) or mount folder, or the GUID path. */
  name: string;
  /** How many leading characters of the path name the volume (the rest is the path inside it). */
  prefixLength: number;
}

/** A volume known by name though the system may not resolve it (under Wine, one only the emulated VSS has). */
export interface KnownVolume {
  name: string;
  key: string;
}

/** The machine's volumes as the resolver sees them. */
export interface MachineVolumes extends VolumeResolver {
  /** The volume a path lies on (its deepest mount point), or `null`. Separators may be `/` or `\`. */
  volumeOf(path: string): VolumeHit | null;
  /**
   * The volumes mounted at a folder on one of `volumes` (lower-case GUID keys), recursively (a
   * volume mounted under a mounted volume too), each once and never one of `volumes` itself, as
   * a mount folder name (the name to add to a snapshot set) with its key.
   */
  mountedUnder(volumes: string[]): KnownVolume[];
}

const GUID_PREFIX = /^\\\\\?\\volume\{[0-9a-f-]{36}\}\\/i;

/** The simulated machine's environment: Windows in C:\Windows, as the built-in scenarios lay it out. */
const SIMULATED_ENVIRONMENT: Record<string, string> = {
  systemroot: 'C:\\Windows',
  windir: 'C:\\Windows',
  systemdrive: 'C:',
  programfiles: 'C:\\Program Files',
  'programfiles(x86)': 'C:\\Program Files (x86)',
  programdata: 'C:\\ProgramData',
  allusersprofile: 'C:\\ProgramData',
};

/** The folder a mount folder name lies in (`C:\mnt\vol\` → `C:\mnt\`), or null for a root. */
function parentFolder(mountFolder: string): string | null {
  const trimmed = mountFolder.replace(/\\+$/, '');
  const cut = trimmed.lastIndexOf('\\');
  return cut < 2 ? null : trimmed.slice(0, cut + 1);
}

/**
 * How paths map to volumes on the backend's machine: the simulator's volume list, or on
 * Windows the deepest ancestor that is a mount point (GetVolumeNameForVolumeMountPoint), as
 * VShadow resolves each file descriptor (GetUniqueVolumeNameForPath after ExpandEnvironmentStrings).
 * `known` volumes answer where the system does not (the set's volumes, by the names they were added under).
 */
export function machineResolver(backend: BackendOption | undefined, known: KnownVolume[] = []): MachineVolumes {
  const simulator = simulatorOf(backend);
  const environment = (name: string): string | undefined => {
    if (simulator) return SIMULATED_ENVIRONMENT[name.toLowerCase()];
    const key = Object.keys(process.env).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : process.env[key];
  };
  // Unknown variables stay as written, as ExpandEnvironmentStrings leaves them.
  const expand = (path: string) => path.replace(/%([^%]+)%/g, (all, name: string) => environment(name) ?? all);
  const fromKnown = (path: string): VolumeHit | null => {
    const hit = splitPath(path, known.map((k) => k.name));
    const volume = hit && known.find((k) => k.name === hit.volume)!;
    return volume ? { key: volume.key.toLowerCase(), name: volume.name, prefixLength: volume.name.length } : null;
  };

  if (simulator) {
    const volumes = simulator.describe().volumes;
    const locate = (raw: string): VolumeHit | null => {
      const path = raw.replace(/\//g, '\\');
      const guid = GUID_PREFIX.exec(path)?.[0].toLowerCase();
      if (guid) return { key: guid, name: volumes.find((x) => x.guidName.toLowerCase() === guid)?.name ?? guid, prefixLength: guid.length };
      const hit = splitPath(path, volumes.map((v) => v.name));
      const volume = hit && volumes.find((v) => v.name === hit.volume)!;
      return volume ? { key: volume.guidName.toLowerCase(), name: volume.name, prefixLength: volume.name.length } : fromKnown(path);
    };
    return {
      expand,
      volumeOf: locate,
      mountedUnder: (keys) =>
        mountedClosure(
          keys,
          volumes.map((v) => ({ name: v.name, key: v.guidName.toLowerCase() })),
          locate,
        ),
    };
  }

  const addon = loadAddon();
  const locate = (raw: string): VolumeHit | null => {
    const path = raw.replace(/\//g, '\\');
    const guid = GUID_PREFIX.exec(path)?.[0];
    if (guid) return { key: guid.toLowerCase(), name: guid, prefixLength: guid.length };
    // Every ancestor folder, deepest first, spelled as in the path (so the rest slices off).
    const ends: number[] = [];
    for (let i = path.length - 1; i >= 2; i--) if (path[i] === '\\') ends.push(i + 1);
    if (!path.endsWith('\\')) ends.unshift(path.length);
    let system: VolumeHit | null = null;
    // A UNC path (\\server\share\...) is a remote file share, no mount point of this machine.
    const unc = path.startsWith('\\\\');
    for (const end of unc ? [] : ends) {
      const prefix = path.slice(0, end);
      const found = addon.volumeGuidPath(prefix);
      if (found) {
        system = { key: found.toLowerCase(), name: /^[a-z]:\\?$/i.test(prefix) ? `${prefix[0]!.toUpperCase()}:\\` : prefix, prefixLength: end };
        break;
      }
    }
    // The deeper of the two: under Wine a mount folder only the emulated VSS has lies under a
    // drive the system has (C:\mnt\vol\ under C:\); on Windows a known name is a real mount point,
    // which the system finds at the same depth.
    const byName = fromKnown(path);
    if (byName && (!system || byName.prefixLength > system.prefixLength)) return byName;
    if (system) return system;
    // A drive the system cannot name (a letter Windows does not have, or one Wine's mount
    // manager does not know) is still one volume: every path under it gets the same key as
    // the drive itself, so its files are not each taken for a volume of their own.
    const drive = /^([a-z]):(\\|$)/i.exec(path);
    return drive ? { key: `drive:${drive[1]!.toLowerCase()}:\\`, name: `${drive[1]!.toUpperCase()}:\\`, prefixLength: Math.min(3, path.length) } : null;
  };
  return {
    expand,
    volumeOf: locate,
    mountedUnder(keys) {
      // FindFirstVolumeMountPointW on each volume of the set (as Bareos and restic enumerate),
      // then the volume each mount folder names.
      const all: KnownVolume[] = [];
      const seen = new Set<string>();
      const queue = [...keys];
      while (queue.length > 0) {
        const volume = queue.shift()!;
        // Unknown is not none: a set that silently lacked a mounted volume would back up less than
        // asked. A drive the system cannot name (under Wine, one only the emulated VSS has) has no
        // mount points the system can list either.
        const relatives = volume.startsWith('\\\\?\\volume{') ? addon.volumeMountPoints(volume) : null;
        if (relatives === null) throw mountPointsUnavailable(volume);
        const roots = addon.volumePathNames(volume) ?? [];
        for (const relative of relatives) {
          const root = roots[0];
          const folder = root ? `${root}${relative}` : `${volume}${relative}`;
          const mounted = addon.volumeGuidPath(folder)?.toLowerCase();
          if (!mounted || seen.has(mounted) || keys.includes(mounted)) continue;
          seen.add(mounted);
          all.push({ name: folder.endsWith('\\') ? folder : `${folder}\\`, key: mounted });
          queue.push(mounted);
        }
      }
      return all;
    },
  };
}

/** The volumes named, followed by the volumes mounted under them (the `mountedVolumes` option). */
export function withMountedVolumes(volumes: string[], backend: BackendOption | undefined): string[] {
  const machine = machineResolver(backend);
  const keys = volumes.map((v) => machine.volumeOf(v)?.key ?? `drive:${v.toLowerCase()}`);
  return [...volumes, ...machine.mountedUnder(keys).map((m) => m.name)];
}

function mountPointsUnavailable(volume: string): VssMountPointsError {
  return new VssMountPointsError(volume.startsWith('drive:') ? volume.slice('drive:'.length).toUpperCase() : volume);
}

/** Volumes whose mount folder lies on one of `keys`, and the volumes mounted under those, each once. */
function mountedClosure(keys: string[], volumes: KnownVolume[], locate: (path: string) => VolumeHit | null): KnownVolume[] {
  const inside = new Set(keys.map((k) => k.toLowerCase()));
  const found: KnownVolume[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of volumes) {
      if (inside.has(v.key)) continue;
      const parent = parentFolder(v.name);
      const host = parent && locate(parent);
      if (host && inside.has(host.key)) {
        inside.add(v.key);
        found.push(v);
        grew = true;
      }
    }
  }
  return found;
}
