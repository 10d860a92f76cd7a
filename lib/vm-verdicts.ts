/**
 * What a backup did for each Hyper-V virtual machine: from the Hyper-V writer's
 * components (lib/hyperv.ts) and the backup's outcome, a verdict per VM, with the
 * writer's error and the events logged while the backup ran when a VM failed.
 * @module
 */
import type { BackendOption } from './backend.js';
import { readVssEvents, type VssEvent } from './events.js';
import { HYPERV_WRITER_ID, virtualMachinesFrom, type VmBackupMethod } from './hyperv.js';
import { debug } from './log.js';
import type { BackupSession, StepTiming } from './session.js';
import type { ReportComponent, WriterFailure } from './snapshots.js';
import type { WriterStatus } from './types.js';

/** One virtual machine of a backup and what became of it. */
export interface VirtualMachineVerdict {
  /** The VM's id (lowercase GUID): its component's name. */
  id: string;
  name: string;
  backupMethod: VmBackupMethod;
  /**
   * `'application-consistent'`: backed up online, through the guest's VSS integration
   * service; `'crash-consistent'`: backed up offline (saved state or checkpoint);
   * `'failed'`: the Hyper-V writer failed, the backup was aborted, or its component
   * was not marked backed up.
   */
  verdict: 'application-consistent' | 'crash-consistent' | 'failed';
  /** The Hyper-V writer's failure, when it failed. */
  writerError: WriterFailure | null;
  /** For a failed VM: the VSS and Hyper-V events logged while the backup ran. */
  events: VssEvent[];
}

/** What of the report the verdicts are made from. */
export interface VerdictInputs {
  outcome: 'completed' | 'aborted';
  writers: WriterStatus[];
  components: ReportComponent[];
  failures: WriterFailure[];
  timings: StepTiming[];
  /**
   * How the set was made: in component mode a VM is in the backup only when its component was
   * added; in volume mode when all its files are on the set's volumes. A VM on a volume outside
   * the set was not backed up and gets no verdict (cold trial F19: both VMs of a backup of C:\\
   * were reported consistent though their files were on D:\\).
   */
  mode?: 'component' | 'volume' | 'no-writers';
  /** The set's volumes as named (with those added for it), for volume mode. */
  volumes?: string[];
  /** In component mode, the components added to the set (known also when the backup was aborted). */
  added?: { writerId: string; name: string }[];
}

/**
 * The verdict of each VM the backup covered: in component mode the VMs whose components were
 * added; in volume mode the VMs whose files are all on the set's volumes.
 * Empty when the Hyper-V writer took no part.
 */
export function verdictsOf(
  vms: ReturnType<typeof virtualMachinesFrom>,
  inputs: VerdictInputs,
  events: VssEvent[] = [],
): VirtualMachineVerdict[] {
  const writerError = inputs.failures.find((f) => f.writerId === HYPERV_WRITER_ID) ?? null;
  const selected = inputs.components.filter((c) => c.writerId === HYPERV_WRITER_ID);
  const inSet = (volume: string) => (inputs.volumes ?? []).some((v) => v.toLowerCase() === volume.toLowerCase());
  const added = [...selected, ...(inputs.added ?? []).filter((c) => c.writerId === HYPERV_WRITER_ID)];
  const covered =
    selected.length > 0 || inputs.mode === 'component'
      ? vms.filter((vm) => added.some((c) => c.name.toLowerCase() === vm.id))
      : inputs.volumes
        ? vms.filter((vm) => vm.volumes.length > 0 && vm.volumes.every(inSet))
        : vms;
  return covered.map((vm) => {
    const component = selected.find((c) => c.name.toLowerCase() === vm.id);
    const failed = writerError !== null || inputs.outcome === 'aborted' || (component !== undefined && !component.backupSucceeded);
    return {
      id: vm.id,
      name: vm.name,
      backupMethod: vm.backupMethod,
      verdict: failed ? 'failed' : vm.consistency,
      writerError,
      events: failed ? events : [],
    };
  });
}

/**
 * The report's `virtualMachines`: reads the Hyper-V writer's metadata from the session
 * (only when that writer took part) and, when a VM failed, the events of the backup's
 * window (not with `correlateEvents: false`, which turns every event query off, cold10 F14).
 * Never throws: a report is still made when these reads fail.
 */
export async function reportVirtualMachines(session: BackupSession, backend: BackendOption | undefined, inputs: VerdictInputs, correlateEvents = true): Promise<VirtualMachineVerdict[]> {
  if (!inputs.writers.some((w) => w.writerId === HYPERV_WRITER_ID)) return [];
  try {
    const metadata = (await session.getWriterMetadata()).find((m) => m.writerId === HYPERV_WRITER_ID);
    if (!metadata) return [];
    const vms = virtualMachinesFrom(metadata);
    let verdicts = verdictsOf(vms, inputs);
    if (correlateEvents && verdicts.some((v) => v.verdict === 'failed') && inputs.timings.length > 0) {
      const started = inputs.timings[0]!.startedAt;
      // Warnings and errors from a second before the first VSS call of the backup until now.
      const events = await readVssEvents({ backend, since: new Date(started.getTime() - 1000), levels: ['critical', 'error', 'warning'] }).catch((error: unknown) => {
        debug('report: events unavailable: %s', (error as Error).message);
        return [];
      });
      verdicts = verdictsOf(vms, inputs, events);
    }
    return verdicts;
  } catch (error) {
    debug('report: virtual machines unavailable: %s', (error as Error).message);
    return [];
  }
}
