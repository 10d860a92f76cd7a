/**
 * The VSS-related records of the machine's event logs (VSS, VolSnap, the SQL
 * writer, Windows Server Backup), each explained from one catalogue
 * (native/core/event_table.inc) with its meaning and a remedy.
 * @module
 */
import { type BackendOption, checkBackend, createNativeSession } from './backend.js';
import { fileTimeToDate } from './convert.js';
import { AbortError, fromNativeError } from './errors.js';
import { EVENT_CATALOGUE, type EventCatalogueEntry } from './events.generated.js';
import type { RawEventQuery, RawEventRecord } from './native.js';
import { vssRelatedServices } from './services.js';
import { checkOptionalObject, checkOptionsObject, checkSignal, invalidArgType, invalidArgValue, optionKeys, outOfRange } from './validate.js';

export type { EventCatalogueEntry } from './events.generated.js';

/** Event levels as Windows names them, with their numbers (winmeta.xml). */
export const EventLevels = { critical: 1, error: 2, warning: 3, information: 4, verbose: 5 } as const;
/** An event's level, as Windows names it; the number before each value is the level (winmeta.xml). */
export type EventLevelName =
  /** `1`: critical */
  | 'critical'
  /** `2`: error */
  | 'error'
  /** `3`: warning */
  | 'warning'
  /** `4`: information */
  | 'information'
  /** `5`: verbose */
  | 'verbose';

/** The channels read by default: where VSS, VolSnap and the writers log. */
export const DEFAULT_EVENT_CHANNELS: readonly string[] = [
  'Application',
  'System',
  'Microsoft-Windows-Hyper-V-VMMS-Admin',
  'Microsoft-Windows-Hyper-V-Worker-Admin',
  'Microsoft-Windows-VolumeSnapshot-Driver/Operational',
  'Microsoft-Windows-Backup',
];

/** One event log record. */
export interface VssEvent {
  time: Date;
  channel: string;
  provider: string;
  eventId: number;
  level: { name: EventLevelName | 'unknown'; value: number };
  /** The record's number in its channel. */
  recordId: bigint;
  /** The message as Windows formats it (in the system's language on Windows). */
  message: string;
  /** The event's named data. */
  data: Record<string, string>;
  /** From the catalogue, when the event is in it; `null` otherwise. */
  meaning: string | null;
  remedy: string | null;
}

/** Options of {@link readVssEvents}: the time window, channels, ids and levels to read. */
export interface ReadVssEventsOptions {
  backend?: BackendOption;
  /**
   * Oldest record: a Date, or in text a duration back from now such as
   * `'24h'`, `'30m'`, `'7d'` (above zero), or an ISO date such as `'2026-12-01 08:00'` (UTC unless it names a zone).
   * One in the future, or before 1601 (no record is older), rejects with `ERR_OUT_OF_RANGE`: it would answer "no events".
   */
  since?: Date | string;
  /** Newest record: a Date, or the same text as `since` (`'1h'`: up to an hour ago). */
  until?: Date | string;
  /**
   * Channels to read (default {@link DEFAULT_EVENT_CHANNELS}, of which those the machine lacks
   * are skipped). A named channel the machine lacks rejects with `ERROR_EVT_CHANNEL_NOT_FOUND`.
   */
  channels?: string[];
  /** Only these event ids. */
  ids?: number[];
  /** Only these levels (names or numbers). */
  levels?: Array<EventLevelName | number>;
  /** At most this many records (the newest). */
  max?: number;
  signal?: AbortSignal;
}

/**
 * The catalogue entry for an event, or `undefined`.
 * @example describeEvent('VSS', 8229)?.remedy;
 */
export function describeEvent(provider: string, eventId: number): EventCatalogueEntry | undefined {
  const p = provider.toLowerCase();
  return EVENT_CATALOGUE.find((e) => e.eventId === eventId && e.provider.toLowerCase() === p);
}

/**
 * Every event the catalogue explains.
 * @example for (const e of listEventCatalogue()) console.log(e.provider, e.eventId, e.source);
 */
export function listEventCatalogue(): EventCatalogueEntry[] {
  return EVENT_CATALOGUE.map((e) => ({ ...e }));
}

const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `'24h'` -> milliseconds; undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/** FILETIME's zero, 1601-01-01 UTC: Windows stamps no event record earlier (cold10 F19). @internal */
export const EARLIEST_EVENT_TIME = new Date(Date.UTC(1601, 0, 1));

// YYYY-MM-DD, then optionally a time (T or a space: `vss events` prints '2026-12-03 07:57:27')
// with seconds and fractions optional, then optionally a zone (Z, UTC or an offset).
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*(Z|UTC|[+-]\d{2}:?\d{2}))?)?$/i;

/** How a point in time may be written, for the messages that refuse one. */
export const TIME_FORMS = "a duration back from now with its unit (90s, 30m, 24h, 7d, 2w) or an ISO date (2026-12-01, 2026-12-01 08:00, 2026-12-01T08:00:00Z; UTC unless it names a zone)";

/**
 * A point in time as `since` and `until` take it in text, in milliseconds since the epoch:
 * a duration back from `now` (`'30m'`, `'24h'`, `'7d'`), or an ISO 8601 date, or date and
 * time, which is UTC unless it names a zone (as `vss events` prints times). Undefined when
 * `text` is neither: a bare number (`'12'`: hours? days? the year 2001, to `new Date`) is not a time.
 */
export function parseTime(text: string, now = Date.now()): number | undefined {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return now - duration;
  const m = ISO_TIME.exec(trimmed);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  // setUTCFullYear, not Date.UTC: that reads years 0-99 as 1900-1999.
  const back = new Date(0);
  back.setUTCFullYear(year!, month! - 1, day!);
  back.setUTCHours(hour, minute, second, ms);
  const utc = back.getTime();
  // 2026-02-30 rolls over to March: a date that is not in the calendar is refused.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8]?.toUpperCase();
  if (zone === undefined || zone === 'Z' || zone === 'UTC') return utc;
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const minutes = Number(offset[2]) * 60 + Number(offset[3]);
  if (Number(offset[2]) > 14 || Number(offset[3]) > 59) return undefined;
  return utc - (offset[1] === '-' ? -1 : 1) * minutes * 60_000;
}

/** FILETIME's range in milliseconds since 1970: 1601-01-01 (FILETIME 0) to the largest signed 64-bit FILETIME. */
const FILETIME_MIN_MS = -11_644_473_600_000;
const FILETIME_MAX_MS = Number((2n ** 63n - 1n) / 10_000n) + FILETIME_MIN_MS;

function timeOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidArgValue(name, value, 'a valid Date');
    ms = value.getTime();
  } else if (typeof value === 'string') {
    const parsed = parseTime(value);
    if (parsed === undefined) throw invalidArgValue(name, value, `a Date, or ${TIME_FORMS}`);
    // 'since 0h' is a window that starts now: no record already logged is in it, and an empty
    // answer would read as a quiet machine (followVssEvents is what reads the events to come).
    if (name === 'options.since' && parseDuration(value) === 0) throw outOfRange(name, value, 'a duration above zero (followVssEvents follows the events to come)');
    ms = parsed;
  } else throw invalidArgType(name, value, 'a Date or a string (a duration such as 24h, or an ISO date)');
  // '300000000d' back is before the year 1 (an Invalid Date later): no record can be that old.
  if (name === 'options.since' && !(ms >= EARLIEST_EVENT_TIME.getTime())) throw outOfRange(name, value, `at or after ${EARLIEST_EVENT_TIME.toISOString()} (no event record is older)`);
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) throw outOfRange(name, value, 'a time a Date can hold');
  // A window that starts later than now holds no event and would read as a quiet machine (cold10 F11).
  const now = Date.now();
  if (name === 'options.since' && ms > now) throw outOfRange(name, value, `at or before now (${new Date(now).toISOString()}): a window that starts in the future holds no event`);
  return ms;
}

/**
 * The start of an event window (`since`, a Date or text as readVssEvents takes it) as a Date,
 * checked as readVssEvents checks it.
 * @internal
 */
export function windowStart(value: Date | string, name = 'options.since'): Date {
  return new Date(timeOption(value, name)!);
}

function listOption<T>(value: unknown, name: string, check: (item: unknown, itemName: string) => T): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidArgType(name, value, 'an array');
  if (value.length === 0) throw invalidArgValue(name, value, 'a non-empty array (leave it out to match all)');
  return value.map((item, i) => check(item, `${name}[${i}]`));
}

const READ_EVENTS_OPTION_KEYS = optionKeys<ReadVssEventsOptions>()({ backend: true, since: true, until: true, channels: true, ids: true, levels: true, max: true, signal: true });
const FOLLOW_EVENTS_OPTION_KEYS = optionKeys<FollowVssEventsOptions>()({ backend: true, channels: true, ids: true, levels: true, signal: true });

/** Validates readVssEvents options into the backend's query. */
export function eventQueryFrom(options: ReadVssEventsOptions): RawEventQuery {
  checkOptionsObject(options as unknown, 'options', READ_EVENTS_OPTION_KEYS);
  if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
  checkSignal(options.signal, 'options.signal');
  const query: RawEventQuery = {};
  const since = timeOption(options.since, 'options.since');
  const until = timeOption(options.until, 'options.until');
  // An event's time is a FILETIME: 1601 (FILETIME 0, "no bound" to the engine) at the earliest; a
  // window reaching past either end (since 1600-01-01, since 100000000d) is cut there, not overflowed.
  if (since !== undefined) query.sinceMs = Math.min(Math.max(since, FILETIME_MIN_MS), FILETIME_MAX_MS);
  // An until before 1601 stays a bound (1 ms past FILETIME 0, which would mean none).
  if (until !== undefined) query.untilMs = Math.min(Math.max(until, FILETIME_MIN_MS + 1), FILETIME_MAX_MS);
  if (since !== undefined && until !== undefined && since > until) throw outOfRange('options.until', options.until, `at or after options.since (${new Date(since).toISOString()})`);
  query.channels =
    listOption(options.channels, 'options.channels', (c, n) => {
      if (typeof c !== 'string' || c.trim() === '') throw invalidArgType(n, c, 'a channel name');
      return c;
    }) ?? [...DEFAULT_EVENT_CHANNELS];
  // A channel the caller named and the machine lacks is an error (a typo must not read as "no events").
  if (options.channels !== undefined) query.channelsNamed = true;
  // System's Service Control Manager events are read for these services only (cold10 F15).
  query.services = vssRelatedServices().map((s) => ({ name: s.service, displayName: s.displayName }));
  const ids = listOption(options.ids, 'options.ids', (id, n) => {
    if (typeof id !== 'number' || !Number.isInteger(id)) throw invalidArgType(n, id, 'an integer event id');
    if (id < 0 || id > 65535) throw outOfRange(n, id, '0 to 65535');
    return id;
  });
  if (ids) query.ids = ids;
  const levels = listOption(options.levels, 'options.levels', (l, n) => {
    if (typeof l === 'string' && l in EventLevels) return EventLevels[l as EventLevelName];
    if (typeof l === 'number' && Number.isInteger(l) && l >= 1 && l <= 5) return l;
    throw invalidArgValue(n, l, `one of ${Object.keys(EventLevels).join(', ')} or 1-5`);
  });
  if (levels) query.levels = levels;
  if (options.max !== undefined) {
    if (typeof options.max !== 'number' || !Number.isInteger(options.max)) throw invalidArgType('options.max', options.max, 'a positive integer');
    if (options.max < 1 || options.max > 100_000) throw outOfRange('options.max', options.max, '1 to 100000');
    query.max = options.max;
  }
  return query;
}

const LEVEL_NAMES = Object.fromEntries(Object.entries(EventLevels).map(([k, v]) => [v, k])) as Record<number, EventLevelName>;

/** Turns an addon record into the public shape, with the catalogue's meaning and remedy. */
export function toVssEvent(raw: RawEventRecord): VssEvent {
  const entry = describeEvent(raw.provider, raw.eventId);
  return {
    time: fileTimeToDate(raw.timeCreated),
    channel: raw.channel,
    provider: raw.provider,
    eventId: raw.eventId,
    level: { name: LEVEL_NAMES[raw.level] ?? 'unknown', value: raw.level },
    recordId: raw.recordId,
    message: raw.message,
    data: { ...raw.data },
    meaning: entry?.meaning ?? null,
    remedy: entry?.remedy ?? null,
  };
}

/** Options of {@link followVssEvents}: which events to follow, and the signal that ends the following. */
export interface FollowVssEventsOptions {
  backend?: BackendOption;
  /** Channels to follow (default {@link DEFAULT_EVENT_CHANNELS}). */
  channels?: string[];
  ids?: number[];
  levels?: Array<EventLevelName | number>;
  /** Ends the iteration (without an error). */
  signal?: AbortSignal;
}

/**
 * Follows the VSS-related event logs: resolves once following has begun (nothing logged
 * after that is missed) to an async iterator of each new event as it is logged, until
 * `signal` aborts or the loop breaks. On Windows through `EvtSubscribe`
 * (EvtSubscribeToFutureEvents, pull model); simulated, from the machine's log.
 * @example
 * const ac = new AbortController();
 * setTimeout(() => ac.abort(), 100);
 * for await (const e of await followVssEvents({ backend: 'simulated', signal: ac.signal })) console.log(e.provider, e.eventId);
 */
export async function followVssEvents(options: FollowVssEventsOptions = {}): Promise<AsyncIterableIterator<VssEvent>> {
  checkOptionalObject(options as unknown, 'options');
  for (const key of ['since', 'until', 'max'])
    if (key in options) throw invalidArgValue(`options.${key}`, (options as Record<string, unknown>)[key], 'nothing: following starts now and has no end (use readVssEvents for a window)');
  checkOptionsObject(options as unknown, 'options', FOLLOW_EVENTS_OPTION_KEYS);
  const query = eventQueryFrom(options);
  const { signal } = options;
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  const native = createNativeSession(options.backend);
  try {
    await native.followEvents(query, 0);
  } catch (error) {
    await native.release();
    throw fromNativeError(error);
  }
  const cancel = () => native.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  let pending: VssEvent[] = [];
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener('abort', cancel);
    await native.release();
  };
  const iterator: AsyncIterableIterator<VssEvent> = {
    async next() {
      while (!finished && pending.length === 0 && !signal?.aborted) {
        try {
          pending = (await native.followEvents(query, FOLLOW_WAIT_MS)).map(toVssEvent);
        } catch (error) {
          if (signal?.aborted) break;
          await finish();
          throw fromNativeError(error);
        }
      }
      if (pending.length > 0 && !finished) return { value: pending.shift()!, done: false };
      await finish();
      return { value: undefined, done: true };
    },
    async return() {
      await finish();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** How long one followEvents call waits before the iterator asks again. */
const FOLLOW_WAIT_MS = 1000;

/**
 * Reads the VSS-related events of this machine's event logs, oldest first.
 * On Windows through the Event Log API (wevtapi.dll); with `backend: 'simulated'`
 * from the simulated machine's log.
 * @example
 * for (const e of await readVssEvents({ since: '24h', levels: ['error', 'warning'] }))
 *   console.log(e.time.toISOString(), e.provider, e.eventId, e.meaning);
 */
export async function readVssEvents(options: ReadVssEventsOptions = {}): Promise<VssEvent[]> {
  const query = eventQueryFrom(options);
  if (options.signal?.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
  const native = createNativeSession(options.backend);
  try {
    const raw = await native.readEvents(query);
    if (options.signal?.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
    return raw.map(toVssEvent);
  } catch (error) {
    throw error instanceof AbortError ? error : fromNativeError(error);
  } finally {
    await native.release();
  }
}
