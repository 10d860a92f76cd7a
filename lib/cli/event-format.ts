/**
 * How `vss` shows an event to a person: under a failed command's error and in `vss events`.
 * @internal
 * @module
 */
import type { VssEvent } from '../events.js';

/**
 * A time for a person, in UTC marked Z (`2026-12-06 00:30:00Z`), to the second or, for tables, the
 * minute (cold10 F1): one clock for every host of a fleet, no hour repeated at a DST change, the same
 * clock as --json's ISO times and the XML view's SystemTime in Event Viewer; --since and --until read
 * a zoneless time as UTC, so a time copied from the output selects what it shows.
 */
export function stamp(time: Date, to: 'second' | 'minute' = 'second'): string {
  return `${time.toISOString().replace('T', ' ').slice(0, to === 'second' ? 19 : 16)}Z`;
}

export function level(e: VssEvent): string {
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
