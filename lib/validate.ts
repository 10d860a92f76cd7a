/**
 * Argument checks shared by the public API: each error names the argument and
 * what it accepts, with Node's own codes.
 * @internal
 * @module
 */

type CodedError<E extends Error> = E & { code: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function invalidArgType(name: string, value: unknown, expected: string): CodedError<TypeError> {
  const error = new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(value)}`) as CodedError<TypeError>;
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

export function invalidArgValue(name: string, value: unknown, accepted: string): CodedError<TypeError> {
  const error = new TypeError(`The "${name}" argument must be ${accepted}. Received ${describe(value)}`) as CodedError<TypeError>;
  error.code = 'ERR_INVALID_ARG_VALUE';
  return error;
}

export function outOfRange(name: string, value: unknown, range: string): CodedError<RangeError> {
  const error = new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${describe(value)}`) as CodedError<RangeError>;
  error.code = 'ERR_OUT_OF_RANGE';
  return error;
}

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** Checks a GUID string and returns its canonical form (lowercase, no braces). */
export function checkGuid(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidArgType(name, value, 'a GUID string');
  if (!GUID.test(value)) throw invalidArgValue(name, value, "a GUID such as 'b5946137-7b9f-4925-af80-51abd60b20d5'");
  return value.replace(/[{}]/g, '').toLowerCase();
}

/** A GUID as printed back to the user: canonical when it is one (`{ABC…}` → `abc…`), else as given. */
export function displayGuid(value: string): string {
  return GUID.test(value) ? value.replace(/[{}]/g, '').toLowerCase() : value;
}

export function checkObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, value, 'an object');
}

export function checkOptionalObject(value: unknown, name: string): asserts value is Record<string, unknown> | undefined {
  if (value !== undefined) checkObject(value, name);
}

export function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, value, 'of type string');
}

export function checkBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw invalidArgType(name, value, 'of type boolean');
}

export function checkSignal(value: unknown, name: string): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) throw invalidArgType(name, value, 'an AbortSignal');
}

export function checkFunction(value: unknown, name: string): asserts value is ((...args: never[]) => unknown) | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidArgType(name, value, 'a function');
}
