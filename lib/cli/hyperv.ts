/**
 * `vss hyperv`: the Hyper-V virtual machines the Hyper-V VSS writer offers, with
 * the backup each would get (online: application-consistent; offline: crash-consistent).
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { listVirtualMachines } from '../hyperv.js';
import { act, backendFrom, commandSignal, withCommon, type CommonOptions } from './program.js';

export function addHypervCommand(program: Command): void {
  withCommon(program.command('hyperv').description('list the Hyper-V virtual machines as the Hyper-V VSS writer reports them'), [
    'vss hyperv --simulate=hyper-v',
    'vss hyperv --json',
  ]).action(
    act(async (out, options: CommonOptions) => {
      const vms = await listVirtualMachines({ backend: backendFrom(options), signal: commandSignal() });
      if (options.json) return out.json(vms);
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
    }),
  );
}
