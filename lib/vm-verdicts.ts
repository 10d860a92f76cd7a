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
}

/**
 * The verdict of each VM the backup covered: every VM the writer offered when none of
 * its components was selected (the whole writer took part), else the selected ones.
 * Empty when the Hyper-V writer took no part.
 */
export function verdictsOf(
  vms: ReturnType<typeof virtualMachinesFrom>,
  inputs: VerdictInputs,
  events: VssEvent[] = [],
): VirtualMachineVerdict[] {
  const writerError = inputs.failures.find((f) => f.writerId === HYPERV_WRITER_ID) ?? null;
  const selected = inputs.components.filter((c) => c.writerId === HYPERV_WRITER_ID);
  const covered = selected.length === 0 ? vms : vms.filter((vm) => selected.some((c) => c.name.toLowerCase() === vm.id));
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
 * window. Never throws: a report is still made when these reads fail.
 */
export async function reportVirtualMachines(session: BackupSession, backend: BackendOption | undefined, inputs: VerdictInputs): Promise<VirtualMachineVerdict[]> {
  if (!inputs.writers.some((w) => w.writerId === HYPERV_WRITER_ID)) return [];
  try {
    const metadata = (await session.getWriterMetadata()).find((m) => m.writerId === HYPERV_WRITER_ID);
    if (!metadata) return [];
    const vms = virtualMachinesFrom(metadata);
    let verdicts = verdictsOf(vms, inputs);
    if (verdicts.some((v) => v.verdict === 'failed') && inputs.timings.length > 0) {
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
