/**
 * `vss storage [add|resize|delete|volumes]`: shadow storage (diff area) associations through the
 * system provider's IVssDifferentialSoftwareSnapshotMgmt(2): list them (QueryDiffAreasForVolume,
 * --on: QueryDiffAreasOnVolume, --snapshot: QueryDiffAreasForSnapshot), add one (AddDiffArea),
 * change its maximum or delete it (ChangeDiffAreaMaximumSize, 0 deletes; --volatile:
 * ChangeDiffAreaMaximumSizeEx), and the volumes that can hold it (QueryVolumesSupportedForDiffAreas).
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { ProtectionLevels, type ProtectionLevel } from '../enums.js';
import { addShadowStorage, deleteUnusedShadowStorage, listShadowStorage, listShadowStorageVolumes, resizeShadowStorage, volumeProtection, volumePathNames } from '../snapshots.js';
import { act, backendFrom, commandSignal, useWords, withCommon, type CommonOptions } from './program.js';
import { UsageError } from './report.js';

type StorageOptions = CommonOptions & { on?: string; max?: string; volatile?: boolean };
type ListOptions = CommonOptions & { for?: string; on?: string; snapshot?: string };

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3, tb: 1024 ** 4, tib: 1024 ** 4 };

/** `--max`: bytes with an optional binary unit (`20GB`, `512MiB`), or `unbounded`. */
export function sizeOf(text: string | undefined): number {
  if (text === undefined) throw new UsageError('--max is required: a size such as 20GB or 512MB, or unbounded');
  if (/^(unbounded|unlimited|-1)$/i.test(text.trim())) return -1;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new UsageError(`--max ${text}: expected a size such as 20GB, 512MB or 1073741824, or unbounded`);
  const size = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(size)) throw new UsageError(`--max ${text}: too large`);
  return size;
}

export function bytes(value: bigint): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : n.toFixed(1)} ${units[unit]}`;
}

export function addStorageCommand(program: Command): void {
  // The listing is the default subcommand, so that each subcommand owns --simulate, --json, ...
  const storage = program
    .command('storage')
    .description('shadow storage (diff area) associations: list them, add, resize or delete one, list the volumes that can hold it, or show and set shadow copy protection')
    .addHelpText('after', '\nWithout a subcommand it lists. Each subcommand takes --json, --quiet, --wide, --simulate[=scenario] and --state FILE\n(vss storage add --help).');
  withCommon(
    storage
      .command('list', { isDefault: true })
      .description('list shadow storage associations and their sizes (the default)')
      .option('--for <volume>', "only <volume>'s shadow storage (QueryDiffAreasForVolume)")
      .option('--on <volume>', 'only shadow storage kept on <volume> (QueryDiffAreasOnVolume)')
      .option('--snapshot <id>', "only the shadow storage of that shadow copy's volume (QueryDiffAreasForSnapshot)"),
    ['vss storage', 'vss storage --on D:', 'vss storage add C: --on D: --max 20GB', 'vss storage resize C: --max unbounded', 'vss storage delete C: --on D:', 'vss storage volumes C:'],
  ).action(
    act(async (out, options: ListOptions) => {
      const backend = backendFrom(options);
      const given = (['for', 'on', 'snapshot'] as const).filter((k) => options[k] !== undefined);
      if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot be combined: give one`);
      useWords({ volume: options.on !== undefined ? '--on' : '--for', snapshotId: '--snapshot' });
      const list = await listShadowStorage({ backend, signal: commandSignal(), volume: options.for, on: options.on, snapshotId: options.snapshot });
      if (options.json) return out.json(list);
      // VSS names volumes by GUID path; show their drive letters and mount folders, as vss list does.
      const named = (guidPath: string) => volumePathNames(guidPath, backend).join(' ') || guidPath.replace(/^\\\\\?\\/, '');
      out.table(
        list,
        [
          { header: 'Volume', value: (s) => named(s.volume), minWidth: 10 },
          { header: 'Storage on', value: (s) => named(s.diffAreaVolume), minWidth: 10 },
          { header: 'Used', value: (s) => bytes(s.usedSize) },
          { header: 'Allocated', value: (s) => bytes(s.allocatedSize) },
          { header: 'Maximum', value: (s) => (s.maximumSize < 0n ? 'unbounded' : bytes(s.maximumSize)) },
        ],
        options.for || options.on || options.snapshot ? 'no shadow storage matches' : 'no shadow storage (no volume has shadow copies yet)',
      );
    }),
  );

  withCommon(
    storage
      .command('protect <volume>')
      .description("show <volume>'s shadow copy protection (GetVolumeProtectLevel); --level sets it, --clear clears a protection fault")
      .option('--level <level>', `original-volume (the default: the volume's I/O wins, shadow copies are deleted) or snapshot (the shadow copies win, the volume goes offline)`)
      .option('--clear', 'clear a protection fault that took the volume offline (ClearVolumeProtectFault)'),
    ['vss storage protect C:', 'vss storage protect C: --level snapshot', 'vss storage protect C: --clear'],
  ).action(
    act(async (out, options: CommonOptions & { level?: string; clear?: boolean }, volume: string) => {
      if (options.level !== undefined && !ProtectionLevels.names.includes(options.level as ProtectionLevel))
        throw new UsageError(`--level ${options.level}: expected ${ProtectionLevels.names.join(' or ')}`);
      useWords({ volume: '<volume>' });
      const p = await volumeProtection(volume, {
        backend: backendFrom(options),
        signal: commandSignal(),
        ...(options.level !== undefined ? { level: options.level as ProtectionLevel } : {}),
        ...(options.clear ? { clear: true } : {}),
      });
      if (options.json) return out.json(p);
      const state = p.offline ? `OFFLINE for protection: ${p.fault} (${p.faultCode}), status 0x${(p.failureStatus >>> 0).toString(16).padStart(8, '0')}` : 'online';
      const unused = p.hasUnusedDiffArea ? `\nholds unused shadow storage (vss storage delete ${volume} --unused)` : '';
      out.print(`${volume} shadow copy protection: level ${p.level}, ${state}${unused}`);
    }),
  );

  withCommon(
    storage
      .command('volumes <volume>')
      .description("the volumes that can hold <volume>'s shadow storage, with their size and free space (QueryVolumesSupportedForDiffAreas)"),
    ['vss storage volumes C:', 'vss storage volumes C: --json'],
  ).action(
    act(async (out, options: CommonOptions, volume: string) => {
      useWords({ originalVolume: '<volume>' });
      const list = await listShadowStorageVolumes(volume, { backend: backendFrom(options), signal: commandSignal() });
      if (options.json) return out.json(list);
      out.table(
        list,
        [
          // A volume without a drive letter or mount folder has its GUID path as display name: shown once, under Name.
          { header: 'Volume', value: (v) => (v.displayName === v.volume ? '-' : v.displayName), minWidth: 10 },
          { header: 'Name', value: (v) => v.volume },
          { header: 'Free', value: (v) => bytes(v.freeSpace) },
          { header: 'Total', value: (v) => bytes(v.totalSpace) },
          { header: 'Free %', value: (v) => (v.totalSpace > 0n ? `${Math.floor(Number((v.freeSpace * 100n) / v.totalSpace))}%` : '-') },
        ],
        `no volume can hold the shadow storage of ${volume}`,
      );
    }),
  );

  const report = (out: Parameters<Parameters<typeof act>[0]>[0], options: StorageOptions, json: object, text: string) =>
    options.json ? out.json(json) : out.print(text);

  /** `add` and `resize`: set an association's maximum through `change`, then say so. */
  const setMaximum = (done: 'added' | 'resized', change: typeof addShadowStorage) =>
    act(async (out, options: StorageOptions, volume: string) => {
      const max = sizeOf(options.max);
      // A resize to 0 deletes: that is `delete`, not a size.
      if (done === 'resized' && max === 0) throw new UsageError('--max 0 would delete the association: use vss storage delete');
      useWords({ volume: '<volume>', diffAreaVolume: '--on', maximumSize: '--max' });
      const on = options.on ?? volume;
      const volatile = options.volatile === true;
      await change(volume, on, max, { backend: backendFrom(options), signal: commandSignal(), ...(volatile ? { volatile } : {}) });
      const until = volatile ? ' (until the machine restarts)' : '';
      report(
        out,
        options,
        { volume, diffAreaVolume: on, maximumSize: max, ...(done === 'resized' ? { volatile } : {}) },
        `${done}: shadow storage of ${volume} on ${on}, maximum ${max < 0 ? 'unbounded' : bytes(BigInt(max))}${until}`,
      );
    });

  withCommon(
    storage
      .command('add <volume>')
      .description("keep <volume>'s shadow storage on --on (AddDiffArea)")
      .option('--on <volume>', 'the volume holding the shadow storage (default: the volume itself)')
      .option('--max <size>', 'the most it may use: 20GB, 512MB, ... (at least 320MB), or unbounded'),
    ['vss storage add C: --on D: --max 20GB'],
  ).action(setMaximum('added', addShadowStorage));

  withCommon(
    storage
      .command('resize <volume>')
      .description("change the most shadow storage <volume>'s shadow copies may use (ChangeDiffAreaMaximumSize)")
      .option('--on <volume>', 'the volume holding the shadow storage (default: the volume itself)')
      .option('--max <size>', 'the new maximum: 20GB, 512MB, ... (at least 320MB), or unbounded')
      .option('--volatile', 'only until the machine restarts (ChangeDiffAreaMaximumSizeEx)'),
    ['vss storage resize C: --max 10GB', 'vss storage resize C: --max 8GB --volatile'],
  ).action(setMaximum('resized', resizeShadowStorage));

  withCommon(
    storage
      .command('delete <volume>')
      .description("delete <volume>'s shadow storage association (ChangeDiffAreaMaximumSize 0; refused while it has shadow copies)")
      .option('--on <volume>', 'the volume holding the shadow storage (default: the volume itself)')
      .option('--unused', 'instead: delete the shadow storage on <volume> that serves volumes offline for protection (DeleteUnusedDiffAreas)'),
    ['vss storage delete C: --on D:', 'vss storage delete D: --unused'],
  ).action(
    act(async (out, options: StorageOptions & { unused?: boolean }, volume: string) => {
      if (options.unused) {
        if (options.on !== undefined) throw new UsageError('--unused takes no --on: <volume> is the volume holding the shadow storage');
        useWords({ diffAreaVolume: '<volume>' });
        const backend = backendFrom(options);
        // DeleteUnusedDiffAreas succeeds with nothing to delete too; the volume's protection info
        // (GetVolumeProtectInfo's m_bHasUnusedDiffArea) says whether there was any (cold12 F11).
        const had = (await volumeProtection(volume, { backend, signal: commandSignal() })).hasUnusedDiffArea;
        await deleteUnusedShadowStorage(volume, { backend, signal: commandSignal() });
        return report(out, options, { diffAreaVolume: volume, deletedUnused: had }, had ? `deleted: unused shadow storage on ${volume}` : `nothing to delete: ${volume} holds no unused shadow storage`);
      }
      useWords({ volume: '<volume>', diffAreaVolume: '--on' });
      const on = options.on ?? volume;
      await resizeShadowStorage(volume, on, 0, { backend: backendFrom(options), signal: commandSignal() });
      report(out, options, { volume, diffAreaVolume: on, deleted: true }, `deleted: shadow storage of ${volume} on ${on}`);
    }),
  );
}
