/**
 * `vss events`: the VSS-related records of the event logs, explained; and how a
 * failed command prints the events correlated with its error.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { followVssEvents, parseDuration, readVssEvents, type VssEvent } from '../events.js';
import { formatEvent, stamp } from './event-format.js';
import { act, backendFrom, commandSignal, UsageError, withCommon, type CommonOptions } from './program.js';

export { formatCorrelatedEvents, formatEvent } from './event-format.js';

function parseIds(values: string[] | undefined): number[] | undefined {
  if (!values) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => {
    if (!/^\d+$/.test(v.trim())) throw new UsageError(`--id takes event ids (numbers), not '${v}'`);
    return Number(v.trim());
  });
}

interface EventsOptions extends CommonOptions {
  since: string;
  id?: string[];
  level?: string[];
  channel?: string[];
  max?: string;
  follow?: boolean;
}

export function addEventsCommand(program: Command): void {
  withCommon(
    program
      .command('events')
      .description('the VSS-related events of the event logs (VSS, VolSnap, SQL writer, Hyper-V, Windows Server Backup), explained')
      .option('--since <duration>', "how far back: a duration such as 30m, 24h, 7d, or an ISO date", '24h')
      .option('--id <ids...>', 'only these event ids (e.g. --id 8193 12289)')
      .option('--level <levels...>', 'only these levels: critical, error, warning, information, verbose (any case), or their numbers 1-5')
      .option('--channel <channels...>', 'read these channels instead of the default ones')
      .option('--max <n>', 'at most this many (the newest; with --follow: of those already logged)')
      .option('--follow', 'keep printing new events as they are logged (until Ctrl+C)'),
    ['vss events --simulate', 'vss events --since 7d --id 8193 12289', 'vss events --level error --json', 'vss events --follow'],
  ).action(
    act(async (out, options: EventsOptions) => {
    if (parseDuration(options.since) === undefined && Number.isNaN(Date.parse(options.since)))
      throw new UsageError(`--since takes a duration such as 30m, 24h, 7d or an ISO date, not '${options.since}'`);
    if (options.max !== undefined && !/^[1-9]\d*$/.test(options.max)) throw new UsageError(`--max takes a positive whole number, not '${options.max}'`);
    const backend = backendFrom(options);
    const since = parseDuration(options.since) !== undefined ? options.since : new Date(options.since);
    // A date still to come would list nothing and look like a quiet machine: a typo (2027 for 2026) must not.
    if (since instanceof Date && since.getTime() > Date.now())
      throw new UsageError(`--since ${options.since} is in the future (now ${stamp(new Date())}): no event could match`);
    const query = {
      backend,
      ids: parseIds(options.id),
      // From the shell a level is a word in any case (Event Viewer shows 'Warning') or its number.
      levels: options.level?.map((l) => (/^[1-5]$/.test(l) ? Number(l) : l.toLowerCase())) as never,
      channels: options.channel,
      max: options.max === undefined ? undefined : Number(options.max),
    };
    // --follow: following begins before the window is read, so nothing logged in between
    // is missed (an event in both shows once). Ctrl-C ends the command's signal
    // (lib/cli/interrupt.ts), and with it the following, quietly.
    const stop = commandSignal() ?? new AbortController().signal;
    const follow = options.follow ? await followVssEvents({ backend, ids: query.ids, levels: query.levels, channels: query.channels, signal: stop }) : undefined;
    const events = await readVssEvents({ ...query, since }).catch(async (error: unknown) => {
      await follow?.return?.();
      throw error;
    });
    const show = (list: VssEvent[]) => {
      if (options.json) for (const e of list) out.print(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      else for (const e of list) out.print(`${formatEvent(e)}\n`);
    };
    if (!options.follow) {
      if (options.json) return out.json(events);
      if (events.length === 0) return out.print(`no VSS-related events since ${typeof since === 'string' ? `${since} ago` : stamp(since)}`);
      return show(events);
    }
    // JSON Lines with --json, so a consumer can read one event at a time.
    const seen = new Set(events.map((e) => `${e.channel}/${e.recordId}`));
    show(events);
    for await (const e of follow!) if (!seen.has(`${e.channel}/${e.recordId}`)) show([e]);
    }),
  );
}
