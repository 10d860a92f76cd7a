// The addon boundary is typed: a wrong operation name, a misspelt argument field or
// a wrongly typed result is a compile error, not a runtime surprise.
import { describe, expectTypeOf, it } from 'vitest';

import type { NativeSessionHandle, RawSnapshot, RawWriterStatus } from '../../lib/native.js';

declare const handle: NativeSessionHandle;

describe('NativeSessionHandle.call', () => {
  it('types each operation’s result', () => {
    expectTypeOf(handle.call('querySnapshots', {})).resolves.toEqualTypeOf<RawSnapshot[]>();
    expectTypeOf(handle.call('getWriterStatus', {})).resolves.toEqualTypeOf<RawWriterStatus[]>();
    expectTypeOf(handle.call('saveAsXml', {})).resolves.toEqualTypeOf<string>();
    expectTypeOf(handle.call('abortBackup', {})).resolves.toEqualTypeOf<void>();
  });

  it('refuses unknown operations and fields', () => {
    // @ts-expect-error no such operation
    void handle.call('saveAsXML', {});
    // @ts-expect-error misspelt field
    void handle.call('initializeForRestore', { bcdXML: '<x/>' });
    // @ts-expect-error a required field missing
    void handle.call('setContext', {});
    // @ts-expect-error an operation without arguments takes none
    void handle.call('abortBackup', { force: true });
    // @ts-expect-error wrongly typed field
    void handle.call('deleteSnapshots', { id: 'x', wholeSet: 'yes' });
  });
});
