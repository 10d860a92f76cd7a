/**
 * Names and meanings of the HRESULTs VSS and COM return.
 * @module
 */
import { HRESULT_TABLE } from './hresults.generated.js';
import { invalidArgType, invalidArgValue, outOfRange } from './validate.js';

const byValue = new Map<number, { name: string; meaning: string }>();
const byName = new Map<string, number>();
for (const [value, name, meaning] of HRESULT_TABLE) {
  byValue.set(value, { name, meaning });
  byName.set(name, value);
}

/**
 * Normalises an HRESULT to its unsigned 32-bit value (`-2147212543` → `0x80042301`).
 * Anything but a 32-bit integer (signed or unsigned) is a TypeError or RangeError, never
 * silently `S_OK`; a known HRESULT name (`'VSS_E_BAD_STATE'`) gives its value.
 */
export function toUnsignedHresult(hresult: number | string): number {
  if (typeof hresult === 'string') {
    const value = byName.get(hresult);
    if (value === undefined) throw invalidArgValue('hresult', hresult, "an HRESULT number or a known HRESULT name such as 'VSS_E_BAD_STATE'");
    return value;
  }
  if (typeof hresult !== 'number') throw invalidArgType('hresult', hresult, 'an HRESULT number or name');
  if (!Number.isInteger(hresult) || hresult < -0x80000000 || hresult > 0xffffffff)
    throw outOfRange('hresult', hresult, 'a 32-bit integer (-2147483648 to 4294967295)');
  return hresult >>> 0;
}

/**
 * The symbolic name of an HRESULT, such as `'VSS_E_BAD_STATE'`; values outside
 * the table give `'HRESULT_0x8004ABCD'`.
 * @example hresultName(0x80042301) // 'VSS_E_BAD_STATE'
 */
export function hresultName(hresult: number | string): string {
  const value = toUnsignedHresult(hresult);
  return byValue.get(value)?.name ?? `HRESULT_0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * A one-line meaning of an HRESULT, or `undefined` when it is not in the table.
 * @example hresultMeaning(0x80042316) // 'A snapshot set is already being created; ...'
 */
export function hresultMeaning(hresult: number | string): string | undefined {
  return byValue.get(toUnsignedHresult(hresult))?.meaning;
}

/**
 * The value of a named HRESULT, or `undefined` for an unknown name.
 * @example hresultValue('E_ACCESSDENIED') // 0x80070005
 */
export function hresultValue(name: string): number | undefined {
  return byName.get(name);
}

/**
 * Every HRESULT vss-napi knows, as `{ name, value, meaning }`.
 * @example
 * const names = listHresults().map((h) => h.name);
 */
export function listHresults(): { name: string; value: number; meaning: string }[] {
  return HRESULT_TABLE.map(([value, name, meaning]) => ({ name, value, meaning }));
}
