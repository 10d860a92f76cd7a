/**
 * `vss events`: the VSS-related records of the event logs, explained; and how a
 * failed command prints the events correlated with its error.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { EARLIEST_EVENT_TIME, followVssEvents, parseDuration, parseTimeText, readVssEvents, type VssEvent } from '../events.js';
import { VssError } from '../errors.js';
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

/** `--level a,b --level c` -> ['a', 'b', 'c'], as --id takes commas (cold10 F17). */
function commaList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(',')).map((v) => v.trim());
}

/**
 * The start of the window as --since gives it (vss health reads --since the same way): a
 * duration back from now or a date, a zoneless one in UTC as times are printed (cold10 F1).
 * Refused in the command's words: not a time, before any event log could exist (F19), or
 * still to come (a typo, 2027 for 2026, would list nothing and look like a quiet machine).
 */
export function sinceFlag(text: string, counted = 'match'): Date {
  const ms = parseTimeText(text);
  if (ms === undefined) throw new UsageError(`--since takes a duration such as 30m, 24h, 7d or an ISO date, not '${text}'`);
  if (!(ms >= EARLIEST_EVENT_TIME.getTime()))
    throw new UsageError(`--since ${text} goes back before ${stamp(EARLIEST_EVENT_TIME)}, before any event log could exist: give a shorter duration or a later date`);
  if (ms > Date.now()) throw new UsageError(`--since ${text} is in the future (now ${stamp(new Date())}; times are UTC): no event could ${counted}`);
  return new Date(ms);
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
      .option('--since <duration>', "how far back: a duration such as 30m, 24h, 7d, or an ISO date (UTC unless it names a zone, as times are printed)", '24h')
      .option('--id <ids...>', 'only these event ids (e.g. --id 8193 12289)')
      .option('--level <levels...>', 'only these levels (e.g. --level warning,error): critical, error, warning, information, verbose (any case), or their numbers 1-5')
      .option('--channel <channels...>', 'read these channels instead of the default ones (e.g. --channel System,Application); one this machine lacks is a usage error (exit 2)')
      .option('--max <n>', 'at most this many (the newest; with --follow: of those already logged)')
      .option('--follow', 'keep printing new events as they are logged (until Ctrl+C)'),
    ['vss events --simulate', 'vss events --since 7d --id 8193 12289', 'vss events --level error --json', 'vss events --follow'],
  ).action(
    act(async (out, options: EventsOptions) => {
    const sinceTime = sinceFlag(options.since);
    if (options.max !== undefined && !/^[1-9]\d*$/.test(options.max)) throw new UsageError(`--max takes a positive whole number, not '${options.max}'`);
    const backend = backendFrom(options);
    const since = parseDuration(options.since) !== undefined ? options.since : sinceTime;
    const levels = commaList(options.level);
    const channels = commaList(options.channel);
    const query = {
      backend,
      ids: parseIds(options.id),
      // From the shell a level is a word in any case (Event Viewer shows 'Warning') or its number.
      levels: levels?.map((l) => (/^[1-5]$/.test(l) ? Number(l) : l.toLowerCase())) as never,
      channels,
      max: options.max === undefined ? undefined : Number(options.max),
    };
    // --follow: following begins before the window is read, so nothing logged in between
    // is missed (an event in both shows once). Ctrl-C ends the command's signal
    // (lib/cli/interrupt.ts), and with it the following, quietly.
    const stop = commandSignal() ?? new AbortController().signal;
    const follow = options.follow
      ? await followVssEvents({ backend, ids: query.ids, levels: query.levels, channels: query.channels, signal: stop }).catch((error: unknown) => Promise.reject(channelUsage(error, channels)))
      : undefined;
    const events = await readVssEvents({ ...query, since }).catch(async (error: unknown) => {
      await follow?.return?.();
      throw channelUsage(error, channels);
    });
    const show = (list: VssEvent[]) => {
      if (options.json) for (const e of list) out.print(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      else for (const e of list) out.print(`${formatEvent(e)}\n`);
    };
    if (!options.follow) {
      if (options.json) return out.json(events);
      // The filters are named: 'no events' alone would read as a quiet machine (cold10 F18).
      const filters = [options.id && `--id ${parseIds(options.id)!.join(',')}`, levels && `--level ${levels.join(',')}`, channels && `--channel ${channels.join(',')}`].filter(Boolean);
      if (events.length === 0)
        return out.print(`no VSS-related events ${filters.length > 0 ? `matching ${filters.join(' ')} ` : ''}since ${typeof since === 'string' ? `${since} ago` : stamp(since)}`);
      return show(events);
    }
    // JSON Lines with --json, so a consumer can read one event at a time.
    const seen = new Set(events.map((e) => `${e.channel}/${e.recordId}`));
    show(events);
    for await (const e of follow!) if (!seen.has(`${e.channel}/${e.recordId}`)) show([e]);
    }),
  );
}

/**
 * A channel the user named that this machine lacks is a usage error (exit 2: the input names
 * nothing here, as a missing file would), said in the command's words; the code stays
 * ERROR_EVT_CHANNEL_NOT_FOUND for scripts (cold10 F17).
 */
function channelUsage(error: unknown, channels: string[] | undefined): unknown {
  if (!(error instanceof VssError) || error.code !== 'ERROR_EVT_CHANNEL_NOT_FOUND' || !channels) return error;
  const missing = channels.find((c) => error.message.includes(`(${c})`)) ?? channels.join(',');
  return new UsageError(`--channel '${missing}': no such event log channel on this machine (ERROR_EVT_CHANNEL_NOT_FOUND; wevtutil el lists them)`, 'ERROR_EVT_CHANNEL_NOT_FOUND');
}
