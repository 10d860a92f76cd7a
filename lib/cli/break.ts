/**
 * `vss break SETID`: breaks a hardware provider's shadow copy set off VSS (vshadow -bex),
 * with BreakSnapshotSetEx's flags.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { breakShadowCopySet } from '../break.js';
import { act, backendFrom, commandSignal, withCommon, type CommonOptions } from './program.js';
import { UsageError } from './report.js';
import { displayGuid } from '../validate.js';

export function addBreakCommand(program: Command): void {
  withCommon(
    program
      .command('break')
      .description("break a hardware provider's shadow copy set: its shadow copies stay volumes, VSS forgets them")
      .argument('<set-id>', 'shadow copy set id')
      .option('--read-write', 'make the broken volumes writable (VSS_BREAKEX_FLAG_MAKE_READ_WRITE)')
      .option('--mask', 'mask the shadow copy LUNs from this computer (VSS_BREAKEX_FLAG_MASK_LUNS)')
      .option('--revert-identity <which>', 'all: give the LUNs the original disk identifiers; none: keep new ones (VSS_BREAKEX_FLAG_REVERT_IDENTITY_*)'),
    ['vss break 11111111-2222-3333-4444-555555555555 --read-write', 'vss break 11111111-2222-3333-4444-555555555555 --mask'],
  ).action(
    act(async (out, options: CommonOptions & { readWrite?: boolean; mask?: boolean; revertIdentity?: string }, typedSetId: string) => {
      const setId = displayGuid(typedSetId); // printed back canonical, as everywhere else
      if (options.revertIdentity !== undefined && options.revertIdentity !== 'all' && options.revertIdentity !== 'none')
        throw new UsageError('--revert-identity must be all or none');
      await breakShadowCopySet(setId, {
        backend: backendFrom(options),
        signal: commandSignal(),
        onProgress: out.progress.onProgress,
        makeReadWrite: options.readWrite === true,
        maskLuns: options.mask === true,
        revertIdentity: options.revertIdentity as 'all' | 'none' | undefined,
      });
      out.progress.done('broken');
      if (options.json) return out.json({ setId, broken: true });
      out.print(`broke shadow copy set ${setId}: its volumes are no longer shadow copies`);
    }),
  );
}
