/**
 * `vss hyperv`: the Hyper-V virtual machines the Hyper-V VSS writer offers, with
 * the backup each would get (online: application-consistent; offline: crash-consistent).
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { virtualMachinesAndWriter } from '../hyperv.js';
import { writerServiceAdvice } from '../services.js';
import { ExitCode } from './report.js';
import { act, backendFrom, commandSignal, setExitCode, stateWithNumber, withCommon, type CommonOptions } from './program.js';

export function addHypervCommand(program: Command): void {
  withCommon(
    program
      .command('hyperv')
      .description('list the Hyper-V virtual machines as the Hyper-V VSS writer reports them')
      .addHelpText(
        'after',
        '\nExit codes: 0 listed, 1 a VSS error, 2 bad usage, 3 the Hyper-V VSS writer is in a failed state\n' +
          '(its virtual machines are still listed; stderr names the service to restart) or failed to identify itself.',
      ),
    ['vss hyperv --simulate=hyper-v', 'vss hyperv --json'],
  ).action(
    act(async (out, options: CommonOptions) => {
      const { vms, writer } = await virtualMachinesAndWriter({ backend: backendFrom(options), signal: commandSignal() });
      if (options.json) out.json(vms);
      else
        out.table(
          vms,
          [
            { header: 'Virtual machine', value: (vm) => vm.name, minWidth: 16 },
            { header: 'Backup', value: (vm) => `${vm.backupMethod} (${vm.consistency})`, minWidth: 32 },
            { header: 'Disks', value: (vm) => String(vm.files.filter((f) => f.kind === 'virtual-disk').length) },
            { header: 'Volumes', value: (vm) => vm.volumes.join(' ') },
            { header: 'Id', value: (vm) => vm.id, minWidth: 36 },
          ],
          'no virtual machines: the Microsoft Hyper-V VSS Writer is not on this machine or offers none',
        );
      // The writer's metadata lists the VMs even while the writer is stuck failed: said on stderr,
      // with the service to restart, as vss health says it (exit 3, as vss writers exits).
      if (writer && (writer.state.startsWith('failed-') || writer.state === 'unknown' || writer.lastError)) {
        const failed = writer.state.startsWith('failed-') || writer.state === 'unknown';
        out.note(
          `vss: ${writer.name} is ${stateWithNumber(writer)}${writer.lastError ? ` (last error ${writer.lastError.name})` : ''}` +
            `${failed ? ': its last backup failed, and a writer that stays failed needs its service restarted' : ''}.\n${writerServiceAdvice(writer)}`,
        );
        if (failed) setExitCode(ExitCode.WriterFailure);
      }
    }),
  );
}
