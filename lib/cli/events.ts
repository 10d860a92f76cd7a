/**
 * `vss events`: the VSS-related records of the event logs, explained; and how a
 * failed command prints the events correlated with its error.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { parseDuration, readVssEvents, type VssEvent } from '../events.js';
import { formatEvent, stamp } from './event-format.js';
import { act, backendFrom, commandSignal, UsageError, withCommon, type CommonOptions } from './program.js';

export { formatCorrelatedEvents, formatEvent } from './event-format.js';

const FOLLOW_INTERVAL_MS = 2000;

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
      .option('--level <levels...>', 'only these levels: critical, error, warning, information')
      .option('--channel <channels...>', 'read these channels instead of the default ones')
      .option('--max <n>', 'at most this many (the newest)')
      .option('--follow', 'keep printing new events as they are logged (until Ctrl+C)'),
    ['vss events --simulate', 'vss events --since 7d --id 8193 12289', 'vss events --level error --json', 'vss events --follow'],
  ).action(
    act(async (out, options: EventsOptions) => {
    if (parseDuration(options.since) === undefined && Number.isNaN(Date.parse(options.since)))
      throw new UsageError(`--since takes a duration such as 30m, 24h, 7d or an ISO date, not '${options.since}'`);
    if (options.max !== undefined && !/^[1-9]\d*$/.test(options.max)) throw new UsageError(`--max takes a positive whole number, not '${options.max}'`);
    const backend = backendFrom(options);
    const since = parseDuration(options.since) !== undefined ? options.since : new Date(options.since);
    const query = {
      backend,
      ids: parseIds(options.id),
      levels: options.level as never,
      channels: options.channel,
      max: options.max === undefined ? undefined : Number(options.max),
    };
    const events = await readVssEvents({ ...query, since });
    const show = (list: VssEvent[]) => {
      if (options.json) for (const e of list) out.print(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      else for (const e of list) out.print(`${formatEvent(e)}\n`);
    };
    if (!options.follow) {
      if (options.json) return out.json(events);
      if (events.length === 0) return out.print(`no VSS-related events since ${typeof since === 'string' ? `${since} ago` : stamp(since)}`);
      return show(events);
    }
    // --follow: JSON Lines, so a consumer can read one event at a time.
    show(events);
    let last = events.at(-1);
    // Ctrl-C ends the command's signal (lib/cli/interrupt.ts); following stops then.
    const stop = commandSignal() ?? new AbortController().signal;
    {
      while (!stop.aborted) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
        if (stop.aborted) break;
        const fresh = (await readVssEvents({ ...query, max: undefined, since: last ? last.time : new Date(Date.now() - FOLLOW_INTERVAL_MS) })).filter(
          (e) => !last || e.time > last.time || (e.time.getTime() === last.time.getTime() && e.recordId > last.recordId),
        );
        show(fresh);
        last = fresh.at(-1) ?? last;
      }
    }
    }),
  );
}
