/**
 * `vss events`: the VSS-related records of the event logs, explained; and how a
 * failed command prints the events correlated with its error.
 * @internal
 * @module
 */
import type { Command } from 'commander';

import { parseDuration, readVssEvents, type VssEvent } from '../events.js';
import { backendFrom, print, printJson, UsageError, withCommon, type CommonOptions } from './program.js';

const FOLLOW_INTERVAL_MS = 2000;

function stamp(time: Date): string {
  return time.toISOString().replace('T', ' ').slice(0, 19);
}

function level(e: VssEvent): string {
  return e.level.name.charAt(0).toUpperCase() + e.level.name.slice(1);
}

/** One event for a person: header line, the message indented, then meaning and remedy. */
export function formatEvent(e: VssEvent, indent = ''): string {
  const lines = [`${indent}${stamp(e.time)}  ${level(e)}  ${e.provider} ${e.eventId}  (${e.channel}, record ${e.recordId})`];
  for (const line of e.message.replace(/\r\n/g, '\n').split('\n')) if (line.trim() !== '' && line.trim() !== '.') lines.push(`${indent}    ${line.trimEnd()}`);
  if (e.meaning) lines.push(`${indent}  Meaning: ${e.meaning}`);
  if (e.remedy) lines.push(`${indent}  Remedy:  ${e.remedy}`);
  return lines.join('\n');
}

/** The block `vss` prints under a failed command's error. */
export function formatCorrelatedEvents(events: VssEvent[]): string {
  return `Events logged while it ran (${events.length}):\n${events.map((e) => formatEvent(e, '  ')).join('\n')}\n`;
}

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
  ).action(async (options: EventsOptions) => {
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
      if (options.json) for (const e of list) print(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      else for (const e of list) print(`${formatEvent(e)}\n`);
    };
    if (!options.follow) {
      if (options.json) return printJson(events);
      if (events.length === 0) return print(`no VSS-related events since ${typeof since === 'string' ? `${since} ago` : stamp(since)}`);
      return show(events);
    }
    // --follow: JSON Lines, so a consumer can read one event at a time.
    show(events);
    let last = events.at(-1);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      while (!stop.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
        if (stop.signal.aborted) break;
        const fresh = (await readVssEvents({ ...query, max: undefined, since: last ? last.time : new Date(Date.now() - FOLLOW_INTERVAL_MS) })).filter(
          (e) => !last || e.time > last.time || (e.time.getTime() === last.time.getTime() && e.recordId > last.recordId),
        );
        show(fresh);
        last = fresh.at(-1) ?? last;
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}
