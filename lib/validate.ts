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
  // A Date shows its time: "Received an object" does not say which (cold10 F11).
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
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

/**
 * The keys of an options type, listed once and checked by the compiler both ways: a listed key
 * the type lacks, and a key of the type left out, are both type errors. So the run-time check
 * below can never refuse an option the type documents. Use: `optionKeys<BreakOptions>()({ backend: true, ... })`.
 */
export function optionKeys<T>() {
  return <K extends { [P in keyof Required<T>]: true }>(keys: K & { [P in Exclude<keyof K, keyof T>]: never }): readonly string[] => Object.keys(keys);
}

/** Edit distance, for the nearest known key of a misspelt one. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * An options object (or undefined) whose keys are all known: a misspelt option (`persistant`)
 * would otherwise be ignored without a word and change what is backed up or kept.
 */
export function checkOptionsObject(value: unknown, name: string, known: readonly string[]): asserts value is Record<string, unknown> | undefined {
  checkOptionalObject(value, name);
  if (value === undefined) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const nearest = [...known].sort((a, b) => distance(key, a) - distance(key, b))[0];
    const hint = nearest !== undefined && distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean '${nearest}'?)` : '';
    const error = new TypeError(`The "${name}" argument has an unknown option '${key}'${hint}; it takes ${known.map((k) => `'${k}'`).join(', ')}`) as CodedError<TypeError>;
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }
}

/**
 * A target object of exactly one form: `forms` maps each form's naming key to the other keys it
 * takes (`{ volume: ['oldest'], all: [] }`). Two naming keys together (`{ all, volume }`) or a key
 * the chosen form does not take would otherwise leave one of them silently unused; the CLI refuses
 * the same combinations. Keys whose value is `undefined` count as absent. Returns the naming key
 * found, or `undefined` when there is none (the caller says what it takes).
 */
export function checkOneForm(value: Record<string, unknown>, name: string, forms: Record<string, readonly string[]>): string | undefined {
  const present = Object.keys(value).filter((k) => value[k] !== undefined);
  const named = present.filter((k) => Object.hasOwn(forms, k));
  const choices = Object.keys(forms).map((k) => `'${k}'`).join(', ');
  if (named.length > 1) {
    const error = new TypeError(`The "${name}" argument names ${named.map((k) => `'${k}'`).join(' and ')}: give exactly one of ${choices}`) as CodedError<TypeError>;
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }
  const form = named[0];
  if (form === undefined) return undefined;
  const extra = present.find((k) => k !== form && !forms[form]!.includes(k));
  if (extra !== undefined) {
    const takes = forms[form]!.length > 0 ? `takes only ${forms[form]!.map((k) => `'${k}'`).join(', ')} besides it` : 'takes nothing else';
    const error = new TypeError(`The "${name}.${extra}" argument must be absent: a "${name}" with '${form}' ${takes}`) as CodedError<TypeError>;
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }
  return form;
}
