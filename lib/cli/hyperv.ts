/**
 * `vss hyperv`: the Hyper-V virtual machines the Hyper-V VSS writer offers, with
 * the backup each would get (online: application-consistent; offline: crash-consistent).
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { listVirtualMachines } from '../hyperv.js';
import { backendFrom, print, printJson, withCommon, type CommonOptions } from './program.js';
import { formatTable } from './table.js';

export function addHypervCommand(program: Command): void {
  withCommon(program.command('hyperv').description('list the Hyper-V virtual machines as the Hyper-V VSS writer reports them')).action(
    async (options: CommonOptions) => {
      const vms = await listVirtualMachines({ backend: backendFrom(options) });
      if (options.json) return printJson(vms);
      if (vms.length === 0) return print('no virtual machines: the Microsoft Hyper-V VSS Writer is not on this machine or offers none');
      print(
        formatTable(vms, [
          { header: 'Virtual machine', value: (vm) => vm.name, minWidth: 16 },
          { header: 'Backup', value: (vm) => `${vm.backupMethod} (${vm.consistency})`, minWidth: 32 },
          { header: 'Disks', value: (vm) => String(vm.files.filter((f) => f.kind === 'virtual-disk').length) },
          { header: 'Volumes', value: (vm) => vm.volumes.join(' ') },
          { header: 'Id', value: (vm) => vm.id, minWidth: 36 },
        ]),
      );
    },
  );
}
