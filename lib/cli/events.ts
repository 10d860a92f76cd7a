/**
 * `vss events`: the VSS-related records of the event logs, explained; and how a
 * failed command prints the events correlated with its error.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { EARLIEST_EVENT_TIME, followVssEvents, parseDuration, parseTime, readVssEvents, TIME_FORMS, type VssEvent } from '../events.js';
import { loadAddon } from '../native.js';
import { VssError } from '../errors.js';
import { formatEvent, stamp } from './event-format.js';
import { act, backendFrom, commandSignal, quietInterrupt, UsageError, useWords, withCommon, type CommonOptions } from './program.js';
import type { CliStream } from './terminal.js';

export { formatCorrelatedEvents, formatEvent } from './event-format.js';

function parseIds(values: string[] | undefined): number[] | undefined {
  if (!values) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => {
    if (!/^\d+$/.test(v.trim())) throw new UsageError(`--id takes event ids (numbers), not '${v}'`);
    return Number(v.trim());
  });
}

/** `--since` or `--until` as milliseconds since the epoch; a usage error naming the accepted forms otherwise. */
function timeFlag(flag: string, text: string, now: number): number {
  const ms = parseTime(text, now);
  if (ms !== undefined) {
    // Before 1601 (FILETIME 0) no event can be: a window starting there is a typo (cold10 F19);
    // an --until there is cut to it.
    if (flag === '--since' && ms < EARLIEST_EVENT_TIME.getTime())
      throw new UsageError(`--since ${text} goes back before ${stamp(EARLIEST_EVENT_TIME)}, before any event log could exist: give a shorter duration or a later date`);
    return Math.max(ms, FILETIME_EPOCH_MS);
  }
  // '12' read by new Date() is the year 2001: a number without a unit is refused, and the units suggested.
  const bare = /^\d+(\.\d+)?$/.test(text.trim()) ? ` ('${text.trim()}' has no unit: ${text.trim()}h? ${text.trim()}d?)` : '';
  throw new UsageError(`${flag} takes ${TIME_FORMS}, not '${text}'${bare}`);
}

/** 1601-01-01 UTC, where event times (FILETIMEs) begin. */
const FILETIME_EPOCH_MS = Date.UTC(1601, 0, 1);

/** A window's edge for a person: "24h ago" as typed, or the UTC time. */
function edge(text: string, ms: number): string {
  return parseDuration(text) !== undefined ? `${text.trim()} ago` : stamp(new Date(ms));
}

/** How often --follow asks whether stdout's reader went away (a closed `| head -1`). */
const OUTPUT_CHECK_MS = 200;

/**
 * Calls `onClosed` once when the reader of `stream` goes away (Linux, macOS: poll's
 * POLLERR/POLLHUP on the descriptor); never where the system cannot tell (Windows),
 * where the next write's EPIPE ends the command as before. Returns the stop function.
 */
function watchOutput(stream: CliStream, onClosed: () => void): () => void {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return () => undefined;
  const { outputClosed } = loadAddon();
  if (outputClosed(fd) === null) return () => undefined;
  const timer = setInterval(() => {
    if (outputClosed(fd) !== true) return;
    clearInterval(timer);
    onClosed();
  }, OUTPUT_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** `--level a,b --level c` -> ['a', 'b', 'c'], as --id takes commas (cold10 F17). */
function commaList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(',')).map((v) => v.trim());
}

/**
 * The start of the window as --since gives it (vss health reads --since the same way), in the forms
 * and with the refusals of `vss events --since`, and refused when still to come (a typo, 2027 for
 * 2026, would count nothing and look like a quiet machine).
 */
export function sinceFlag(text: string, counted = 'match'): Date {
  const now = Date.now();
  const ms = timeFlag('--since', text, now);
  if (ms > now) throw new UsageError(`--since ${text} is in the future (now ${stamp(new Date(now))}; times are UTC): no event could ${counted}`);
  return new Date(ms);
}

interface EventsOptions extends CommonOptions {
  since?: string;
  until?: string;
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
      .option('--since <time>', 'oldest event: a duration back from now (30m, 24h, 7d) or an ISO date (2026-12-01, 2026-12-01 08:00; UTC unless a zone is given) (default: 24h, or the 24 hours before --until)')
      .option('--until <time>', 'newest event, in the same forms as --since (default: now)')
      .option('--id <ids...>', 'only these event ids (e.g. --id 8193 12289)')
      .option('--level <levels...>', 'only these levels: critical, error, warning, information, verbose (any case), or their numbers 1-5 (e.g. --level error warning)')
      .option('--channel <channels...>', 'read these channels instead of the default ones (e.g. --channel System,Application); one this machine lacks is a usage error (exit 2)')
      .option('--max <n>', 'at most this many: the newest of the window; with --follow, in all (then it ends)')
      .option('--follow', 'then keep printing new events as they are logged, until Ctrl-C (exit 130) or --max; --since 0h: only new ones')
      .addHelpText(
        'after',
        '\nTimes are printed in UTC; a date given without a zone is UTC too.\n' +
          'Exit codes: 0 done (also when a reader such as | head went away), 1 a VSS error,\n' +
          '2 bad usage (also a --channel this machine lacks), 130 Ctrl-C (how --follow\n' +
          'usually ends; nothing more is printed).',
      ),
    ['vss events --simulate', 'vss events --since 7d --id 8193 12289', 'vss events --since 2026-12-01 --until 2026-12-02', 'vss events --level error --json', 'vss events --follow --since 0h --max 1'],
  ).action(
    act(async (out, options: EventsOptions) => {
      useWords({ 'options.until': '--until' });
      if (options.max !== undefined && !/^[1-9]\d*$/.test(options.max)) throw new UsageError(`--max takes a positive whole number, not '${options.max}'`);
      // One now for both edges and the future check: read twice, '--since 0h' could be 1 ms "in the future".
      const now = Date.now();
      const untilMs = options.until === undefined ? undefined : timeFlag('--until', options.until, now);
      if (untilMs !== undefined && options.follow)
        throw new UsageError('--until ends a window read from the log; --follow reads on with no end (--max N stops it after N events)');
      // The default window is the last 24 hours; with --until alone, the 24 hours before it.
      const sinceText = options.since ?? '24h';
      const sinceMs = options.since === undefined && untilMs !== undefined ? untilMs - 24 * 3_600_000 : timeFlag('--since', sinceText, now);
      // A window that starts now holds no logged event: an empty answer would read as a quiet machine.
      // With --follow it means what follows (only the new events), which is what --follow prints.
      const fromNow = parseDuration(sinceText) === 0;
      if (fromNow && !options.follow)
        throw new UsageError(`--since ${sinceText} is a window that starts now: no event already logged is in it (give a duration above zero, or add --follow to print only the new events)`);
      // A date still to come would list nothing and look like a quiet machine: a typo (2027 for 2026) must not.
      if (sinceMs > now) throw new UsageError(`--since ${sinceText} is in the future (now ${stamp(new Date(now))}; times are UTC): no event could match`);
      if (untilMs !== undefined && untilMs < sinceMs)
        throw new UsageError(
          `--until ${options.until} (${stamp(new Date(untilMs))}) is before ${options.since === undefined ? 'the start of the window' : `--since ${sinceText}`} (${stamp(new Date(sinceMs))}): no event could match`,
        );
      const backend = backendFrom(options);
      const max = options.max === undefined ? undefined : Number(options.max);
      const query = {
        backend,
        ids: parseIds(options.id),
        // From the shell a level is a word in any case (Event Viewer shows 'Warning') or its number.
        // Commas too, as --id takes them (--level error,warning).
        levels: options.level?.flatMap((l) => l.split(',')).map((l) => (/^[1-5]$/.test(l.trim()) ? Number(l) : l.trim().toLowerCase())) as never,
        channels: commaList(options.channel),
        max,
      };
      const show = (list: VssEvent[]) => {
        if (options.json) for (const e of list) out.print(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
        else for (const e of list) out.print(`${formatEvent(e)}\n`);
      };
      const window = { ...query, since: new Date(sinceMs), ...(untilMs === undefined ? {} : { until: new Date(untilMs) }), signal: commandSignal() };
      if (!options.follow) {
        const events = await readVssEvents(window).catch((error: unknown) => Promise.reject(channelUsage(error, query.channels)));
        if (options.json) return out.json(events);
        // The filters are named: 'no events' alone would read as a quiet machine (cold10 F18).
        const filters = [options.id && `--id ${query.ids!.join(',')}`, options.level && `--level ${options.level.join(',')}`, query.channels && `--channel ${query.channels.join(',')}`].filter(Boolean);
        const matching = filters.length > 0 ? `matching ${filters.join(' ')} ` : '';
        if (events.length === 0)
          return out.print(`no VSS-related events ${matching}${untilMs === undefined ? `since ${edge(sinceText, sinceMs)}` : `from ${stamp(new Date(sinceMs))} to ${stamp(new Date(untilMs))}`}`);
        return show(events);
      }

      // --follow: JSON Lines with --json, so a consumer can read one event at a time. Ctrl-C is how
      // following ends: exit 130 as documented, and no error after the events (stdout stays
      // valid JSON Lines, stderr quiet).
      quietInterrupt();
      const ended = new AbortController();
      const interrupt = commandSignal();
      const onInterrupt = () => ended.abort(interrupt?.reason);
      if (interrupt?.aborted) return;
      interrupt?.addEventListener('abort', onInterrupt, { once: true });
      // `vss events --follow | head -1`: Node learns that head has gone only when it next writes,
      // which may be hours away; ask the system instead, and end (exit 0, as EPIPE does).
      let readerGone = false;
      const stopWatching = watchOutput(out.io.stdout, () => {
        readerGone = true;
        ended.abort();
      });
      try {
        // Following begins before the window is read, so nothing logged in between is missed
        // (an event in both shows once).
        const follow = await followVssEvents({ backend, ids: query.ids, levels: query.levels, channels: query.channels, signal: ended.signal }).catch((error: unknown) => Promise.reject(channelUsage(error, query.channels)));
        let left = max ?? Number.POSITIVE_INFINITY;
        try {
          const events = fromNow ? [] : await readVssEvents({ ...window, signal: ended.signal }).catch((error: unknown) => Promise.reject(channelUsage(error, query.channels)));
          const seen = new Set(events.map((e) => `${e.channel}/${e.recordId}`));
          show(events);
          left -= events.length;
          if (left > 0 && out.io.stderr.isTTY) out.note(`(following: new events are printed as they are logged; Ctrl-C ends)`);
          if (left > 0)
            for await (const e of follow) {
              if (seen.has(`${e.channel}/${e.recordId}`)) continue;
              show([e]);
              if (--left <= 0) break;
            }
        } finally {
          await follow.return?.();
        }
      } catch (error) {
        // The reader went away or Ctrl-C while the window was read: that ends the command, not an error.
        if (!ended.signal.aborted) throw error;
      } finally {
        stopWatching();
        interrupt?.removeEventListener('abort', onInterrupt);
      }
      // A reader gone is the end the user asked for (`| head -1` has its line): exit 0.
      if (readerGone) return;
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
