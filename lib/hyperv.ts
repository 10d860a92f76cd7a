/**
 * Hyper-V virtual machines as the Hyper-V VSS writer reports them: one component
 * per virtual machine, named by the VM's id, its caption "<method>\<VM name>".
 * The layout is the one of real Hyper-V writer metadata (diskshadow "list writers
 * detailed" on Windows Server 2012 R2, KB 3098315: name = VM GUID, empty logical
 * path, caption "Offline\<name>", files = VM configuration and checkpoint folders).
 * @module
 */
import type { BackendOption } from './backend.js';
import type { ComponentType } from './enums.js';
import type { FileDescriptor, WriterMetadata } from './metadata/types.js';
import { checkCorrelateOption, withCorrelatedEvents } from './correlate.js';
import { VssWriterError } from './errors.js';
import { hresultValue } from './hresults.js';
import { writerServiceAdvice } from './services.js';
import { BackupSession } from './session.js';
import type { WriterStatus } from './types.js';
import { checkOptionsObject, checkSignal, optionKeys } from './validate.js';

/** The Hyper-V VSS writer's class id (shared/reference/writers.tsv, real vssadmin output). */
export const HYPERV_WRITER_ID = '66841cd4-6ded-4f4b-8f17-fd23f8ddc3de';

/**
 * How the writer backs a virtual machine up. `online`: the guest's VSS (through the
 * Backup integration service) freezes its own writers, so the copy is
 * application-consistent. `offline`: the VM is put in a saved state or copied from
 * a checkpoint without the guest's help, so the copy is only crash-consistent.
 */
export type VmBackupMethod = 'online' | 'offline';

/** One file of a virtual machine (a virtual disk, its configuration or saved state) and the volume it is on. */
export interface VirtualMachineFile {
  path: string;
  filespec: string;
  recursive: boolean;
  /** From the file name: a virtual disk (.vhd, .vhdx, .avhd, .avhdx), the configuration (.xml, .vmcx), saved state (.vsv, .bin, .vmrs, .vmgs), or other (checkpoint folders). */
  kind: 'virtual-disk' | 'configuration' | 'saved-state' | 'other';
}

/** A Hyper-V virtual machine as the Hyper-V VSS writer describes it: its id, name, backup method and files. */
export interface VirtualMachine {
  /** The VM's id (lowercase GUID, no braces): the component's name. */
  id: string;
  /** The VM's name, from the component's caption. */
  name: string;
  backupMethod: VmBackupMethod;
  consistency: 'application-consistent' | 'crash-consistent';
  /** The caption as the writer wrote it, e.g. `'Online\\WEB01'`. */
  caption: string;
  /** The component to select for a backup of this VM. */
  component: { writerId: string; instanceId: string; logicalPath: string; name: string; type: ComponentType };
  files: VirtualMachineFile[];
  /** The volumes the VM's files are on (`C:\\`, `D:\\` or `\\?\Volume{...}\\`), sorted. */
  volumes: string[];
}

/** Options of {@link listVirtualMachines}. */
export interface ListVirtualMachinesOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  /** Attach the VSS-related events logged while a failed call ran to its VssError as `events` (default `true`; `false`: no event query). */
  correlateEvents?: boolean;
}

// Caption prefixes by Windows version: "Online"/"Offline" (2012 and later),
// "Backup Using Child Partition Snapshot"/"Backup Using Saved State" (2008 R2).
const ONLINE = ['online', 'backup using child partition snapshot'];
const OFFLINE = ['offline', 'backup using saved state'];
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

function fileKind(filespec: string): VirtualMachineFile['kind'] {
  const ext = /\.([a-z0-9]+)$/i.exec(filespec)?.[1]?.toLowerCase();
  if (ext && ['vhd', 'vhdx', 'avhd', 'avhdx'].includes(ext)) return 'virtual-disk';
  if (ext && ['xml', 'vmcx'].includes(ext)) return 'configuration';
  if (ext && ['vsv', 'bin', 'vmrs', 'vmgs'].includes(ext)) return 'saved-state';
  return 'other';
}

function volumeOf(path: string): string | null {
  const guid = /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\/i.exec(path);
  if (guid) return guid[0].toLowerCase();
  const drive = /^([A-Za-z]):/.exec(path);
  return drive ? `${drive[1]!.toUpperCase()}:\\` : null;
}

/**
 * The virtual machines of one Hyper-V writer's metadata (components that are not VMs are left out).
 * @example
 * const [hv] = await getWriterMetadata({ backend: createSimulator('hyper-v'), writers: ['Microsoft Hyper-V VSS Writer'] });
 * const vms = virtualMachinesFrom(hv);
 */
export function virtualMachinesFrom(metadata: WriterMetadata): VirtualMachine[] {
  const vms: VirtualMachine[] = [];
  for (const c of metadata.components) {
    const id = GUID.exec(c.name)?.[1];
    const slash = c.caption.indexOf('\\');
    if (!id || slash < 0) continue; // e.g. the host's "Initial Store" component
    const prefix = c.caption.slice(0, slash).toLowerCase();
    const backupMethod: VmBackupMethod | null = ONLINE.includes(prefix) ? 'online' : OFFLINE.includes(prefix) ? 'offline' : null;
    if (!backupMethod) continue;
    const descriptors: FileDescriptor[] = [...c.files, ...c.databaseFiles, ...c.logFiles];
    const files = descriptors.map((f) => ({ path: f.path, filespec: f.filespec, recursive: f.recursive, kind: fileKind(f.filespec) }));
    const volumes = [...new Set(files.map((f) => volumeOf(f.path)).filter((v): v is string => v !== null))].sort();
    vms.push({
      id: id.toLowerCase(),
      name: c.caption.slice(slash + 1),
      backupMethod,
      consistency: backupMethod === 'online' ? 'application-consistent' : 'crash-consistent',
      caption: c.caption,
      component: { writerId: metadata.writerId, instanceId: metadata.instanceId, logicalPath: c.logicalPath, name: c.name, type: c.type },
      files,
      volumes,
    });
  }
  return vms;
}

/**
 * Lists the Hyper-V virtual machines the Hyper-V VSS writer offers for backup
 * (an empty list on a machine without the Hyper-V writer). A Hyper-V writer that is on the
 * machine but gave no metadata (it failed when asked to identify itself) is a
 * `VssWriterError`, not an empty list: "no virtual machines" would hide the failure.
 * @example
 * for (const vm of await listVirtualMachines({ backend: 'simulated' })) console.log(vm.name, vm.consistency);
 */
export async function listVirtualMachines(options: ListVirtualMachinesOptions = {}): Promise<VirtualMachine[]> {
  checkOptionsObject(options as unknown, 'options', optionKeys<ListVirtualMachinesOptions>()({ backend: true, signal: true, correlateEvents: true }));
  checkSignal(options.signal, 'options.signal');
  checkCorrelateOption(options.correlateEvents);
  const started = Date.now();
  return (await gather(options, false).catch(async (error: unknown) => Promise.reject(await withCorrelatedEvents(error, options, started)))).vms;
}

/**
 * The virtual machines with the Hyper-V writer's status of the same session (`null` without the
 * writer), for `vss hyperv`: a writer stuck in a failed state still lists its VMs, and the
 * listing must not pass for a host whose VMs can be backed up.
 * @internal
 */
export async function virtualMachinesAndWriter(options: ListVirtualMachinesOptions = {}): Promise<{ vms: VirtualMachine[]; writer: WriterStatus | null }> {
  checkOptionsObject(options as unknown, 'options', optionKeys<ListVirtualMachinesOptions>()({ backend: true, signal: true, correlateEvents: true }));
  checkSignal(options.signal, 'options.signal');
  const started = Date.now();
  return gather(options, true).catch(async (error: unknown) => Promise.reject(await withCorrelatedEvents(error, options, started)));
}

async function gather({ backend, signal }: ListVirtualMachinesOptions, withStatus: boolean): Promise<{ vms: VirtualMachine[]; writer: WriterStatus | null }> {
  await using session = await BackupSession.create({ backend, signal });
  await session.initializeForBackup();
  await session.gatherWriterMetadata({ signal });
  const hyperv = (await session.getWriterMetadata()).filter((w) => w.writerId === HYPERV_WRITER_ID);
  await session.freeWriterMetadata();
  if (hyperv.length > 0 && !withStatus) return { vms: hyperv.flatMap(virtualMachinesFrom), writer: null };
  // No metadata: either no Hyper-V writer, or one that failed at identify (its status still lists it).
  await session.gatherWriterStatus({ signal });
  const statuses = (await session.getWriterStatus()).filter((w) => w.writerId === HYPERV_WRITER_ID);
  await session.freeWriterStatus();
  if (hyperv.length > 0) return { vms: hyperv.flatMap(virtualMachinesFrom), writer: statuses[0] ?? null };
  if (statuses.length > 0)
    throw new VssWriterError(statuses[0]!.lastError?.hresult ?? hresultValue('VSS_E_UNEXPECTED_WRITER_ERROR')!, statuses, {
      operation: 'GatherWriterMetadata',
      // Not the HRESULT's "retry the backup": there is no backup here, and a writer stuck in a
      // failed state needs its service (vmms) restarted ("Writer Errors and Vetoes").
      remedy: `The Hyper-V VSS writer failed when asked to identify itself, so it offers no virtual machine; stuck failed, it needs its service restarted. ${writerServiceAdvice(statuses[0]!)}`,
    });
  return { vms: [], writer: null };
}
