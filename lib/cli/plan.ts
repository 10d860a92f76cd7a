/**
 * `vss plan`: what `vss create` would back up with the same options, without a snapshot; and the
 * selection flags both commands share (`--include`, `--exclude`, `--verify`, `--components`,
 * `--add-required-volumes`).
 * @internal
 * @module
 */
import { Option, type Command } from 'commander';

import { BackupTypes, type BackupType } from '../enums.js';
import { planBackup, type BackupPlan } from '../plan.js';
import type { ComponentSelection } from '../selection.js';
import { act, backendFrom, commandSignal, withCommon, type CommonOptions } from './program.js';
import { UsageError } from './report.js';
import type { Output } from './output.js';

/** The selection flags, as commander parses them. */
export interface SelectionFlags {
  include?: string[];
  exclude?: string[];
  verify?: string[];
  components?: boolean;
  addRequiredVolumes?: boolean;
  includeMounted?: boolean;
  excludeWriter?: string[];
  writers?: boolean;
}

/** Adds the selection flags to a command. */
export function withSelectionFlags(command: Command): Command {
  return command
    .option('--include <writer-or-component...>', "only these writers or components; a component as 'Writer:\\Logical path\\Name'")
    .option('--exclude <writer-or-component...>', 'not these writers or components')
    .option('--verify <writer-or-component...>', 'fail before any snapshot unless these writers (whole) or components are in the backup')
    .option('--components', 'component mode (the default with writers): add every component that can be backed up whole from these volumes')
    .option('--no-components', 'volume mode: add no component, every writer takes part whole (the final document then holds no component to restore)')
    .option('--add-required-volumes', 'add to the set the volumes the selected components also need (otherwise those components are left out)')
    .option('--include-mounted', 'also take the volumes mounted at folders on these volumes (recursively), as restic and Bareos do');
}

/**
 * The selection a command's flags ask for: `undefined` for the default (component mode, every
 * component that can be), `false` for volume mode (`--no-components`).
 */
export function selectionFrom(flags: SelectionFlags): ComponentSelection | false | undefined {
  const narrowed = flags.include || flags.exclude || flags.verify;
  if (flags.components === false) {
    if (narrowed) throw new UsageError('--no-components and --include, --exclude or --verify contradict each other: volume mode adds no component to choose');
    if (flags.writers === false) throw new UsageError('--no-writers and --no-components contradict each other: volume mode is every writer taking part whole');
    return false;
  }
  if (!narrowed && !flags.components) return undefined;
  if (flags.writers === false) throw new UsageError('--no-writers and the component flags (--include, --exclude, --verify, --components) contradict each other: with no writers there is no component');
  return {
    ...(flags.include ? { include: flags.include } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    ...(flags.verify ? { verify: flags.verify } : {}),
  };
}

function yes(included: boolean): string {
  return included ? 'yes' : 'no';
}

/** The plan as text: writers, components, volumes needed, what the backup type does. */
export function printPlan(out: Output, plan: BackupPlan): void {
  out.print(`Volumes: ${plan.volumes.join(' ')}${plan.addedVolumes.length > 0 ? ` (added: ${plan.addedVolumes.join(' ')})` : ''}`);
  out.print(`Mode: ${plan.mode}; backup type ${plan.backupType}: ${plan.effects.summary}`);
  out.print('');
  out.table(
    plan.writers,
    [
      { header: 'Writer', value: (w) => w.name, minWidth: 20 },
      { header: 'In', value: (w) => yes(w.included), style: (v) => (v === 'no' ? 'yellow' : null) },
      { header: 'Why', value: (w) => `${w.reason}: ${w.detail}`, minWidth: 30 },
    ],
    "no writers take part (writers: 'none')",
  );
  if (plan.components.length > 0) {
    out.print('');
    out.table(
      plan.components,
      [
        { header: 'Component', value: (c) => c.path, minWidth: 24 },
        { header: 'In', value: (c) => yes(c.included), style: (v) => (v === 'no' ? 'yellow' : null) },
        { header: 'Why', value: (c) => `${c.reason}: ${c.detail}`, minWidth: 30 },
        { header: 'Volumes', value: (c) => c.volumes.join(' ') },
      ],
      '',
    );
  }
  if (plan.requiredVolumes.length > 0)
    out.note(`\nComponents left out need ${plan.requiredVolumes.join(' ')}: name them too, or use --add-required-volumes`);
}

export function addPlanCommand(program: Command): void {
  withCommon(
    withSelectionFlags(
      program
        .command('plan')
        .description('what vss create would back up with the same options: every writer and component, in or out and why (no snapshot is made)')
        .argument('<volumes...>', "volumes such as C:\\ or \\\\?\\Volume{guid}\\")
        .addOption(new Option('--backup-type <type>', 'the backup type writers would see').choices(BackupTypes.names.filter((n) => n !== 'unknown')).default('full'))
        .option('--exclude-writer <name-or-id...>', 'writers that would not take part (names, class ids or instance ids)')
        .option('--no-writers', 'no writers would take part'),
    ),
    ["vss plan --simulate 'C:\\'", "vss plan --simulate --exclude 'WMI Writer' --verify 'Registry Writer' C:", 'vss plan --simulate --add-required-volumes C: --json', 'vss plan --simulate --no-components C:'],
  ).action(
    act(async (out, options: CommonOptions & SelectionFlags & { backupType: string }, volumes: string[]) => {
      if (options.writers === false && options.excludeWriter)
        throw new UsageError('--no-writers and --exclude-writer contradict each other: with no writers there is none to exclude');
      const selection = selectionFrom(options);
      const plan = await planBackup(volumes, {
        backend: backendFrom(options),
        signal: commandSignal(),
        backupType: options.backupType as BackupType,
        writers: options.writers === false ? 'none' : options.excludeWriter ? { exclude: options.excludeWriter } : 'all',
        ...(selection !== undefined ? { selection } : {}),
        ...(options.addRequiredVolumes ? { addRequiredVolumes: true } : {}),
        ...(options.includeMounted ? { mountedVolumes: true } : {}),
      });
      if (options.json) return out.json(plan);
      printPlan(out, plan);
    }),
  );
}
