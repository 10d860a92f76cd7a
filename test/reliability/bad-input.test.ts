// Bad input, table-driven (issue 6): each row is a wrong call to the public API
// or the CLI, the exact error class and code it must reject with, and then the
// proof that nothing broke: the machine still answers, the session used still works.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import * as vss from '../../lib/index.js';
import { runProcess } from '../helpers/run-process.mjs';

type ErrorClass = abstract new (...args: never[]) => Error;

interface Ctx {
  sim: vss.Simulator;
  /** Initialized for backup, writer metadata gathered. */
  session: vss.BackupSession;
  /** Open, not initialized. */
  fresh: vss.BackupSession;
}

interface Row {
  name: string;
  run: (c: Ctx) => unknown;
  error: ErrorClass;
  code: string;
}

const SYSTEM_WRITER = { writerId: 'e8132975-6f93-4464-a53e-1050253ae220', instanceId: 'ce678d65-95d0-4bea-a43d-2a288bc94500' };
const NO_SUCH_ID = '11111111-2222-3333-4444-555555555555';
const sixtyFiveVolumes = Array.from({ length: 65 }, (_, i) => `C:\\mnt\\v${i}`);
const lotsOfLaughs =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><BACKUP_COMPONENTS>&lol3;</BACKUP_COMPONENTS>';
const externalEntity =
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]><BACKUP_COMPONENTS>&ext;</BACKUP_COMPONENTS>';
const deepXml = '<BACKUP_COMPONENTS>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</BACKUP_COMPONENTS>';

const set = (volumes: unknown, options: Record<string, unknown> = {}) => (c: Ctx) =>
  vss.createSnapshotSet(volumes as string[], { backend: c.sim, ...options } as vss.SnapshotSetOptions);

/** Runs `use` on a live snapshot set of C:\, completing it afterwards. */
const onSet = (use: (s: vss.SnapshotSet) => unknown) => async (c: Ctx) => {
  const s = await vss.createSnapshotSet(['C:\\'], { backend: c.sim });
  try {
    return await use(s);
  } finally {
    if (!s.ended) await s.complete({ succeeded: true });
  }
};

const scenarioRow = (name: string, scenario: unknown): Row => ({
  name: `scenario: ${name}`,
  run: () => vss.createSimulator(scenario as vss.Scenario),
  // A refused scenario is a bad argument (issue 9 item 12), its engine VssError the cause.
  error: TypeError,
  code: 'ERR_INVALID_ARG_VALUE',
});

const rows: Row[] = [
  // ---- createSnapshotSet: volumes
  { name: 'createSnapshotSet: volumes is a number', run: set(42), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: empty volume array', run: set([]), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: 65 volumes (VSS takes 64)', run: set(sixtyFiveVolumes), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: duplicate volumes C:\\ and c:', run: set(['C:\\', 'c:']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: traversal C:\\..\\Windows', run: set(['C:\\..\\Windows']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: mount folder with ..', run: set(['C:\\mnt\\..\\..\\x']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: device path \\\\.\\PhysicalDrive0', run: set(['\\\\.\\PhysicalDrive0']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  {
    name: 'createSnapshotSet: GLOBALROOT device path',
    run: set(['\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\']),
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  // AddToSnapshotSet takes a remote file share (\\server\share\); this machine has none to reach.
  { name: 'createSnapshotSet: UNC share the machine cannot reach', run: set(['\\\\server\\share\\']), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'createSnapshotSet: UNC folder inside a share', run: set(['\\\\server\\share\\folder\\']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: UNC server without a share', run: set(['\\\\server\\']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: NUL in a volume name', run: set(['C:\\a\0b']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: malformed volume GUID', run: set(['\\\\?\\Volume{zzzz-1234}\\']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: null in the volume array', run: set([null]), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: a 100 kB volume name', run: set(['C:\\' + 'a'.repeat(100_000)]), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'createSnapshotSet: a volume the machine lacks', run: set(['Q:\\']), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  // ---- createSnapshotSet: options
  { name: 'createSnapshotSet: options is a string', run: (c) => vss.createSnapshotSet(['C:\\'], 'fast' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: unknown backend name', run: set(['C:\\'], { backend: 'wine' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: unknown writer name', run: set(['C:\\'], { writers: { include: ['No Such Writer'] } }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: writers is a bare string', run: set(['C:\\'], { writers: 'some' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: writers.exclude holds a number', run: set(['C:\\'], { writers: { exclude: [7] } }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: malformed provider GUID', run: set(['C:\\'], { provider: '{b5946137-7b9f' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: unregistered provider', run: set(['C:\\'], { provider: NO_SUCH_ID }), error: vss.VssError, code: 'VSS_E_PROVIDER_NOT_REGISTERED' },
  { name: 'createSnapshotSet: mountedVolumes is a string', run: set(['C:\\'], { mountedVolumes: 'yes' }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'planBackup: mountedVolumes is a number', run: (c) => vss.planBackup(['C:\\'], { backend: c.sim, mountedVolumes: 1 as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: negative timeoutMs', run: set(['C:\\'], { timeoutMs: -5 }), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: NaN timeoutMs', run: set(['C:\\'], { timeoutMs: Number.NaN }), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: retry.attempts 0', run: set(['C:\\'], { retry: { attempts: 0 } }), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: retry.attempts 1e9', run: set(['C:\\'], { retry: { attempts: 1e9 } }), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: retry.delayMs negative', run: set(['C:\\'], { retry: { delayMs: -1 } }), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSnapshotSet: signal is a plain object', run: set(['C:\\'], { signal: {} }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: persistent is a string', run: set(['C:\\'], { persistent: 'yes' }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: unknown backupType', run: set(['C:\\'], { backupType: 'mirror' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: unknown context', run: set(['C:\\'], { context: 'everything' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSnapshotSet: components is an object', run: set(['C:\\'], { components: {} }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  {
    name: 'createSnapshotSet: component with a malformed writer id',
    run: set(['C:\\'], { components: [{ ...SYSTEM_WRITER, writerId: 'x', type: 'file-group', name: 'System Files' }] }),
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  {
    name: 'createSnapshotSet: component the writer does not have',
    run: set(['C:\\'], { components: [{ ...SYSTEM_WRITER, type: 'file-group', name: 'No Such Component' }] }),
    error: vss.VssError,
    code: 'VSS_E_OBJECT_NOT_FOUND',
  },
  { name: 'createSnapshotSet: onProgress is a number', run: set(['C:\\'], { onProgress: 5 }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: signal already aborted', run: set(['C:\\'], { signal: AbortSignal.abort() }), error: vss.AbortError, code: 'ABORT_ERR' },
  { name: 'withSnapshotSet: body is not a function', run: (c) => vss.withSnapshotSet(['C:\\'], { backend: c.sim }, 'body' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  // ---- a live snapshot set
  { name: 'pathFor: a path outside the set', run: onSet((s) => s.pathFor('D:\\data\\x.db')), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'pathFor: traversal out of the volume', run: onSet((s) => s.pathFor('C:\\..\\..\\etc\\passwd')), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'pathFor: a number', run: onSet((s) => s.pathFor(42 as never)), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'snapshotFor: a volume outside the set', run: onSet((s) => s.snapshotFor('D:\\')), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'complete: succeeded is a string', run: onSet((s) => s.complete({ succeeded: 'yes' as never })), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  {
    name: 'complete: called twice',
    run: onSet(async (s) => {
      await s.complete({ succeeded: true });
      await s.complete({ succeeded: true });
    }),
    error: vss.VssError,
    code: 'VSS_E_BAD_STATE',
  },
  {
    name: 'pathFor after complete (the set is released)',
    run: onSet(async (s) => {
      await s.complete({ succeeded: true });
      return s.session.querySnapshots();
    }),
    error: vss.VssSessionError,
    code: 'ERR_VSS_SESSION_RELEASED',
  },
  // ---- writers and management calls
  { name: 'listWriters: options is a string', run: () => vss.listWriters('x' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'listWriters: signal already aborted', run: (c) => vss.listWriters({ backend: c.sim, signal: AbortSignal.abort() }), error: vss.AbortError, code: 'ABORT_ERR' },
  { name: 'getWriterMetadata: writers is a string', run: (c) => vss.getWriterMetadata({ backend: c.sim, writers: 'System Writer' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'deleteShadowCopies: empty id array', run: (c) => vss.deleteShadowCopies([], { backend: c.sim }), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'deleteShadowCopies: malformed id', run: (c) => vss.deleteShadowCopies(['nope'], { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'deleteShadowCopies: malformed set id', run: (c) => vss.deleteShadowCopies({ setId: '1234' }, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'deleteShadowCopies: oldest is a string', run: (c) => vss.deleteShadowCopies({ volume: 'C:\\', oldest: 'yes' } as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'deleteShadowCopies: all is not true', run: (c) => vss.deleteShadowCopies({ all: 'yes' } as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'deleteShadowCopies: exposed is empty', run: (c) => vss.deleteShadowCopies({ exposed: '' }, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'deleteShadowCopies: nothing exposed there', run: (c) => vss.deleteShadowCopies({ exposed: 'Q:' }, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'deleteShadowCopies: an empty object', run: (c) => vss.deleteShadowCopies({} as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'unexposeShadowCopy: malformed id', run: (c) => vss.unexposeShadowCopy('nope', { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'unexposeShadowCopy: an id that does not exist', run: (c) => vss.unexposeShadowCopy(NO_SUCH_ID, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'revertToShadowCopy: malformed id', run: (c) => vss.revertToShadowCopy('C:\\', { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'revertToShadowCopy: forceDismount is a string', run: (c) => vss.revertToShadowCopy(NO_SUCH_ID, { backend: c.sim, forceDismount: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'revertToShadowCopy: an id that does not exist', run: (c) => vss.revertToShadowCopy(NO_SUCH_ID, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'revertToShadowCopy: ignoreBlockingWriters is a string', run: (c) => vss.revertToShadowCopy(NO_SUCH_ID, { backend: c.sim, ignoreBlockingWriters: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'isVolumeSnapshotted: not a volume', run: (c) => vss.isVolumeSnapshotted('\\\\server\\share', { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'isVolumeSnapshotted: a volume the machine lacks', run: (c) => vss.isVolumeSnapshotted('Q:\\', { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'isVolumeSnapshotted: options is a string', run: () => vss.isVolumeSnapshotted('C:\\', 'x' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'shouldBlockRevert: volume is a number', run: (c) => vss.shouldBlockRevert(7 as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'shouldBlockRevert: a volume the machine lacks', run: (c) => c.session.shouldBlockRevert('Q:\\'), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'queryRevertStatus: volume is a number', run: (c) => c.session.queryRevertStatus(3 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'queryRevertStatus: no revert on the volume', run: (c) => c.session.queryRevertStatus('C:\\'), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'getShadowCopy: malformed id', run: (c) => vss.getShadowCopy('{nope}', { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'getShadowCopy: an id that does not exist', run: (c) => vss.getShadowCopy(NO_SUCH_ID, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'createSimulator: stateFile is a number', run: () => vss.createSimulator({}, { stateFile: 5 as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'createSimulator: stateFile is not a machine state', run: () => {
      const file = join(mkdtempSync(join(tmpdir(), 'vss-bad-state-')), 'not-a-machine.json');
      writeFileSync(file, '{"hello":"world"}');
      return vss.createSimulator({}, { stateFile: file });
    },
    error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'deleteShadowCopies: an id that does not exist', run: (c) => vss.deleteShadowCopies([NO_SUCH_ID], { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'exposeShadowCopy: malformed id', run: (c) => vss.exposeShadowCopy('x', { driveLetter: 'X:' }, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'exposeShadowCopy: two-letter drive', run: (c) => vss.exposeShadowCopy(NO_SUCH_ID, { driveLetter: 'XY' }, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  {
    name: 'exposeShadowCopy: mount path with ..',
    run: (c) => vss.exposeShadowCopy(NO_SUCH_ID, { mountPath: 'C:\\mnt\\..\\Windows' }, { backend: c.sim }),
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  { name: 'exposeShadowCopy: share without allowShare', run: (c) => vss.exposeShadowCopy(NO_SUCH_ID, { share: 's' } as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'exposeShadowCopy: id that does not exist', run: (c) => vss.exposeShadowCopy(NO_SUCH_ID, { driveLetter: 'X:' }, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'listShadowCopies: device path as volume', run: (c) => vss.listShadowCopies({ backend: c.sim, volume: '\\\\.\\C:' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'listShadowCopies: numeric set id', run: (c) => vss.listShadowCopies({ backend: c.sim, setId: 5 as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setDefaultBackend: unknown backend', run: () => vss.setDefaultBackend('cloud' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  // ---- BackupSession
  { name: 'BackupSession.create: backend is a number', run: () => vss.BackupSession.create({ backend: 1 as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setContext: unknown name', run: (c) => c.fresh.setContext('bogus' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setContext: negative number', run: (c) => c.fresh.setContext(-1), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setContext: more than 32 bits', run: (c) => c.fresh.setContext(2 ** 33), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setBackupState: unknown backupType', run: (c) => c.fresh.setBackupState({ backupType: 'mirror' as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'enableWriterClasses: not an array', run: (c) => c.session.enableWriterClasses('x' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'enableWriterClasses: malformed GUID', run: (c) => c.session.enableWriterClasses(['{bad}']), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'disableWriterInstances: GUID with trailing junk', run: (c) => c.session.disableWriterInstances([`${NO_SUCH_ID}x`]), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'addComponent: empty object', run: (c) => c.session.addComponent({} as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'addComponent: unknown component', run: (c) => c.session.addComponent({ ...SYSTEM_WRITER, type: 'file-group', name: 'Nope' }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'addToSnapshotSet: a number', run: (c) => c.session.addToSnapshotSet(5 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  // Before StartSnapshotSet: the argument is refused before VSS is asked (cold8 F7).
  { name: 'addToSnapshotSet: an empty string', run: (c) => c.session.addToSnapshotSet(''), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'addToSnapshotSet: blanks', run: (c) => c.session.addToSnapshotSet('  '), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'addToSnapshotSet: before StartSnapshotSet', run: (c) => c.session.addToSnapshotSet('C:\\'), error: vss.VssError, code: 'VSS_E_BAD_STATE' },
  { name: 'getSnapshotProperties: malformed id', run: (c) => c.session.getSnapshotProperties('abc'), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'deleteSnapshots: options is a string', run: (c) => c.session.deleteSnapshots(NO_SUCH_ID, 'x' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setRestoreState: unknown type', run: (c) => c.session.setRestoreState('sideways' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setRestoreState: in a backup session', run: (c) => c.session.setRestoreState('by-copy'), error: vss.VssError, code: 'VSS_E_BAD_STATE' },
  { name: 'addNewTarget: target is not an object', run: (c) => c.session.addNewTarget({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 'D:\\' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'addNewTarget: alternatePath missing', run: (c) => c.session.addNewTarget({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, { path: 'C:\\a', filespec: '*' } as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setAuthoritativeRestore: authoritative is a string', run: (c) => c.session.setAuthoritativeRestore({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 'yes' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setRestoreName: name is a number', run: (c) => c.session.setRestoreName({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 5 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setRollForward: unknown type', run: (c) => c.session.setRollForward({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 'sideways' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setRollForward: in a backup session', run: (c) => c.session.setRollForward({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 'all'), error: vss.VssError, code: 'VSS_E_BAD_STATE' },
  { name: 'addAlternativeLocationMapping: mapping is a string', run: (c) => c.session.addAlternativeLocationMapping({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 'E:\\' as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'addAlternativeLocationMapping: destination missing', run: (c) => c.session.addAlternativeLocationMapping({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, { path: 'C:\\a', filespec: '*' } as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'addAlternativeLocationMapping: in a backup', run: (c) => c.session.addAlternativeLocationMapping({ ...SYSTEM_WRITER, type: 'file-group', name: 'System Files' }, { path: 'C:\\a', filespec: '*', destination: 'E:\\' }), error: vss.VssError, code: 'VSS_E_BAD_STATE' },
  { name: 'addRestoreSubcomponent: name missing', run: (c) => c.session.addRestoreSubcomponent({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, { logicalPath: 'x' } as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'addRestoreSubcomponent: in a backup', run: (c) => c.session.addRestoreSubcomponent({ ...SYSTEM_WRITER, type: 'file-group', name: 'System Files' }, { logicalPath: 'System Files', name: 'x' }), error: vss.VssError, code: 'VSS_E_BAD_STATE' },
  { name: 'setRangesFilePath: index is a string', run: (c) => c.session.setRangesFilePath({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, '0' as never, 'E:\\r'), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setRangesFilePath: index is 1.5', run: (c) => c.session.setRangesFilePath({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 1.5, 'E:\\r'), error: RangeError, code: 'ERR_OUT_OF_RANGE' },
  { name: 'setRangesFilePath: rangesFile is a number', run: (c) => c.session.setRangesFilePath({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 0, 7 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: subcomponents is a string', run: (c) => vss.restore('<x/>', { backend: c.sim, subcomponents: 'A\\B' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: a subcomponent without its logical path', run: (c) => vss.restore('<x/>', { backend: c.sim, subcomponents: ['Mailbox'] }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'restore: alternateLocations is a string', run: (c) => vss.restore('<x/>', { backend: c.sim, alternateLocations: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: rangesFiles index is negative', run: (c) => vss.restore('<x/>', { backend: c.sim, rangesFiles: [{ component: 'SalesDb', partialFile: -1, path: 'E:\\r' }] }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'addDiffArea: maximumSize is a string', run: (c) => c.session.addDiffArea('C:\\', 'C:\\', '20GB' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'addDiffArea: under 320 MB', run: (c) => c.session.addDiffArea('C:\\', 'C:\\', 1024), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'addDiffArea: storage volume is a number', run: (c) => c.session.addDiffArea('C:\\', 4 as never, -1), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'addShadowStorage: a volume the machine lacks', run: (c) => vss.addShadowStorage('C:\\', 'Q:\\', -1, { backend: c.sim }), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'resizeShadowStorage: no association on that volume', run: (c) => vss.resizeShadowStorage('C:\\', 'Q:\\', -1, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'resizeShadowStorage: volatile is a string', run: (c) => vss.resizeShadowStorage('C:\\', 'C:\\', -1, { backend: c.sim, volatile: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'resizeShadowStorage: a volatile 0 (delete)', run: (c) => vss.resizeShadowStorage('C:\\', 'C:\\', 0, { backend: c.sim, volatile: true }), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'changeDiffAreaMaximumSizeEx: isVolatile missing', run: (c) => c.session.changeDiffAreaMaximumSizeEx('C:\\', 'C:\\', -1, undefined as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'changeDiffAreaMaximumSizeEx: maximum below -1', run: (c) => c.session.changeDiffAreaMaximumSizeEx('C:\\', 'C:\\', -5, false), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'queryDiffAreasForSnapshot: not a GUID', run: (c) => c.session.queryDiffAreasForSnapshot('C:\\'), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'queryDiffAreasForSnapshot: a shadow copy the machine lacks', run: (c) => c.session.queryDiffAreasForSnapshot('00000000-0000-4000-8000-0000000000ff'), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'queryDiffAreasOnVolume: a volume the machine lacks', run: (c) => c.session.queryDiffAreasOnVolume('Q:\\'), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'queryDiffAreasForVolume: a number', run: (c) => c.session.queryDiffAreasForVolume(3 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'queryVolumesSupportedForDiffAreas: a volume the machine lacks', run: (c) => c.session.queryVolumesSupportedForDiffAreas('Q:\\'), error: vss.VssError, code: 'E_INVALIDARG' },
  { name: 'listShadowStorage: volume and on together', run: (c) => vss.listShadowStorage({ backend: c.sim, volume: 'C:\\', on: 'C:\\' }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setVolumeProtectLevel: an unknown level', run: (c) => c.session.setVolumeProtectLevel('C:\\', 'maximum' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setVolumeProtectLevel: a volume the machine lacks', run: (c) => c.session.setVolumeProtectLevel('Q:\\', 'snapshot'), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'getVolumeProtectLevel: not a volume', run: (c) => c.session.getVolumeProtectLevel('\\\\server\\share'), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'volumeProtection: clear is a string', run: (c) => vss.volumeProtection('C:\\', { backend: c.sim, clear: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'deleteUnusedShadowStorage: a volume the machine lacks', run: (c) => vss.deleteUnusedShadowStorage('Q:\\', { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'listShadowStorageVolumes: no volume', run: (c) => vss.listShadowStorageVolumes(undefined as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: document is a number', run: (c) => vss.restore(42 as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: not a Backup Components Document', run: (c) => vss.restore('<hello/>', { backend: c.sim }), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'restore: components is a string', run: (c) => vss.restore('<x/>', { backend: c.sim, components: 'SalesDb' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: restoreType unknown', run: (c) => vss.restore('<x/>', { backend: c.sim, restoreType: 'sideways' as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'restore: copy is not a function', run: (c) => vss.restore('<x/>', { backend: c.sim, copy: 'robocopy' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'restore: a document without a backed-up component', run: async (c) => {
      const s = await vss.BackupSession.create({ backend: c.sim });
      await s.initializeForBackup();
      const empty = await s.saveAsXml();
      await s.release();
      return vss.restore(empty, { backend: c.sim });
    },
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  // ---- transportable sets and ImportSnapshots
  { name: 'createSnapshotSet: transportable is a string', run: (c) => vss.createSnapshotSet('C:\\', { backend: c.sim, transportable: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSnapshotSet: transportable on a system-provider volume', run: (c) => vss.createSnapshotSet('C:\\', { backend: c.sim, writers: 'none', transportable: true }), error: vss.VssError, code: 'VSS_E_VOLUME_NOT_SUPPORTED' },
  { name: 'importShadowCopySet: document is a Buffer', run: (c) => vss.importShadowCopySet(Buffer.from('<x/>') as never, { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'importShadowCopySet: text that is no document', run: (c) => vss.importShadowCopySet('not xml', { backend: c.sim }), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'importShadowCopySet: onProgress is a string', run: (c) => vss.importShadowCopySet('<x/>', { backend: c.sim, onProgress: 'x' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'importShadowCopySet: a document without a transportable set', run: async (c) => {
      const s = await vss.BackupSession.create({ backend: c.sim });
      await s.initializeForBackup();
      const empty = await s.saveAsXml();
      await s.release();
      return vss.importShadowCopySet(empty, { backend: c.sim });
    },
    error: vss.VssError,
    code: 'VSS_E_NONTRANSPORTABLE_BCD',
  },
  { name: 'importSnapshots: onProgress is a number', run: (c) => c.session.importSnapshots({ onProgress: 1 as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'breakShadowCopySet: malformed set id', run: (c) => vss.breakShadowCopySet('nope', { backend: c.sim }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'breakShadowCopySet: a set that does not exist', run: (c) => vss.breakShadowCopySet(NO_SUCH_ID, { backend: c.sim }), error: vss.VssError, code: 'VSS_E_OBJECT_NOT_FOUND' },
  { name: 'breakSnapshotSetEx: makeReadWrite is a string', run: (c) => c.session.breakSnapshotSetEx(NO_SUCH_ID, { makeReadWrite: 'yes' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'breakSnapshotSetEx: revertIdentity unknown', run: (c) => c.session.breakSnapshotSetEx(NO_SUCH_ID, { revertIdentity: 'some' as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'setFileRestoreStatus: unknown status', run: (c) => c.session.setFileRestoreStatus({ ...SYSTEM_WRITER, type: 'file-group', name: 'x' }, 'maybe' as never), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' },
  { name: 'gatherWriterStatus: onProgress is a string', run: (c) => c.session.gatherWriterStatus({ onProgress: 'x' as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  {
    name: 'reentrant call while another runs',
    run: async (c) => {
      const first = c.session.gatherWriterStatus();
      try {
        await c.session.gatherWriterStatus();
      } finally {
        await first;
      }
    },
    error: vss.VssSessionError,
    code: 'ERR_VSS_SESSION_BUSY',
  },
  {
    name: 'a call after release',
    run: async (c) => {
      const s = await vss.BackupSession.create({ backend: c.sim });
      await s.release();
      await s.initializeForBackup();
    },
    error: vss.VssSessionError,
    code: 'ERR_VSS_SESSION_RELEASED',
  },
  // ---- XML through InitializeForRestore / InitializeForBackup (the BCD reader in native/sim/xml.cpp)
  { name: 'initializeForRestore: not a string', run: (c) => c.fresh.initializeForRestore(5 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'initializeForRestore: empty document', run: (c) => c.fresh.initializeForRestore(''), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'initializeForRestore: not XML', run: (c) => c.fresh.initializeForRestore('not xml at all'), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'initializeForRestore: entity expansion (billion laughs)', run: (c) => c.fresh.initializeForRestore(lotsOfLaughs), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'initializeForRestore: external entity', run: (c) => c.fresh.initializeForRestore(externalEntity), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'initializeForRestore: 100,000 levels of nesting', run: (c) => c.fresh.initializeForRestore(deepXml), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'initializeForRestore: unclosed element', run: (c) => c.fresh.initializeForRestore('<BACKUP_COMPONENTS><WRITER_COMPONENTS'), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  {
    name: 'initializeForRestore: malformed GUID attribute',
    run: (c) => c.fresh.initializeForRestore('<BACKUP_COMPONENTS><WRITER_COMPONENTS instanceId="zz" writerId="1"/></BACKUP_COMPONENTS>'),
    error: vss.VssError,
    code: 'VSS_E_INVALID_XML_DOCUMENT',
  },
  { name: 'initializeForBackup: hostile BCD (entity expansion)', run: (c) => c.fresh.initializeForBackup(lotsOfLaughs), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  { name: 'initializeForBackup: BCD with a NUL byte', run: (c) => c.fresh.initializeForBackup('<BACKUP_COMPONENTS\0/>'), error: vss.VssError, code: 'VSS_E_INVALID_XML_DOCUMENT' },
  // ---- scenarios with contradictions or hostile shapes
  scenarioRow('two writers share an instance id', { writers: [{ name: 'Registry Writer', instanceId: SYSTEM_WRITER.instanceId }] }),
  scenarioRow('a volume names a provider the machine lacks', { volumes: [{ name: 'E:\\', providers: [NO_SUCH_ID] }] }),
  scenarioRow('a whole machine without providers', { providers: [] }),
  // cold8 F11: a volume named "Q" was listed as "Q\\" and never matched Q:.
  scenarioRow('a volume named Q (neither a drive, a mount folder nor a volume GUID path)', { volumes: [{ name: 'Q' }] }),
  scenarioRow('a volume named by a relative folder', { volumes: [{ name: 'Data\\Mount\\' }] }),
  scenarioRow('a fault on a writer that does not exist', { faults: [{ writer: 'Ghost Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }),
  scenarioRow('a slow fault without delayMs', { faults: [{ writer: 'System Writer', phase: 'freeze', kind: 'slow' }] }),
  scenarioRow('a volume whose luns is not a list', { volumes: [{ name: 'S:\\', luns: 'lun-1' }] }),
  scenarioRow('a provider with an empty LUN name', { providers: [{ providerId: '7d4e9c1a-2b3f-4a5d-8e6f-9a0b1c2d3e4f', name: 'SAN', type: 'hardware', luns: [''] }] }),
  scenarioRow('a fault in an unknown phase', { faults: [{ writer: 'System Writer', phase: 'lunch', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }),
  scenarioRow('an unknown writer state', { writers: [{ name: 'System Writer', state: 'dancing' }] }),
  scenarioRow('a negative timing', { timing: { freezeMs: -1 } }),
  scenarioRow('an unknown key', { writerz: [] }),
  scenarioRow('an unknown base scenario', { base: 'windows-3.11' }),
  scenarioRow('two volumes with one GUID', { volumes: [{ name: 'E:\\', guid: NO_SUCH_ID }, { name: 'F:\\', guid: NO_SUCH_ID }] }),
  scenarioRow('an HRESULT too large for 32 bits', { faults: [{ writer: 'System Writer', phase: 'freeze', error: 0x1ffffffff }] }),
  scenarioRow('an HRESULT in hex beyond 64 bits', { faults: [{ writer: 'System Writer', phase: 'freeze', error: '0x123456789abcdef0123' }] }),
  // Regression rows for the scenario fuzzer's finding: a huge number did not convert to the engine's integer (undefined behaviour).
  scenarioRow('diffAreaMaximum beyond 64 bits', { volumes: [{ name: 'E:\\', diffAreaMaximum: 1e23 }] }),
  scenarioRow('maxShadows beyond 32 bits', { volumes: [{ name: 'E:\\', maxShadows: 1e10 }] }),
  scenarioRow('fault times beyond 32 bits', { faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 2 ** 40 }] }),
  // eventLogMaxSize (per channel, bytes within Windows' 1 MB..2 TB) and services' groups.
  scenarioRow('eventLogMaxSize is not an object', { eventLogMaxSize: 20971520 }),
  scenarioRow('eventLogMaxSize names an unknown channel', { eventLogMaxSize: { Aplication: 20971520 } }),
  scenarioRow('eventLogMaxSize below 1 MB', { eventLogMaxSize: { Application: 65536 } }),
  scenarioRow('eventLogMaxSize above 2 TB', { eventLogMaxSize: { System: 2 ** 42 } }),
  scenarioRow('eventLogMaxSize not a number', { eventLogMaxSize: { Application: '20MB' } }),
  scenarioRow('eventLogMaxSize negative', { eventLogMaxSize: { Application: -1 } }),
  scenarioRow('a service group that is not a string', { services: [{ name: 'A', group: 7 }] }),
  scenarioRow("a service group with a leading '+'", { services: [{ name: 'A', group: '+G' }] }),
  scenarioRow("a dependency '+' without a group name", { services: [{ name: 'A', dependsOn: ['+'] }] }),
  scenarioRow('a service depending on its own group', { services: [{ name: 'A', group: 'G', dependsOn: ['+g'] }] }),
  scenarioRow('removing a service that does not exist', { services: [{ name: 'Ghost', remove: true }] }),
  {
    name: 'Simulator.configure: removing a service with other keys',
    run: () => vss.createSimulator({ services: [{ name: 'A' }] }).configure({ services: [{ name: 'A', remove: true, running: false }] }),
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  {
    name: 'Simulator.configure: eventLogMaxSize of an unknown channel',
    run: (c) => c.sim.configure({ eventLogMaxSize: { 'Microsoft-Windows-Nothing/Operational': 1048576 } }),
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  scenarioRow('JSON nested 200 deep (the engine stops at 64)', JSON.parse(`{"name":"x","writers":${'['.repeat(200)}${']'.repeat(200)}}`)),
  {
    name: 'Simulator.configure: base on a running machine',
    run: (c) => c.sim.configure({ base: 'hyper-v' }),
    error: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
  },
  { name: 'createSimulator: a number', run: () => vss.createSimulator(42 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
];

// parseWriterMetadata: malformed, hostile and foreign documents, each a VssXmlError with its own code.
const xmlRows: { name: string; xml: string; code: vss.VssXmlErrorCode }[] = [
  { name: 'empty string', xml: '', code: 'ERR_VSS_XML_MALFORMED' },
  { name: 'not XML', xml: 'hello', code: 'ERR_VSS_XML_MALFORMED' },
  { name: 'entity expansion (billion laughs)', xml: lotsOfLaughs.replace(/BACKUP_COMPONENTS/g, 'WRITER_METADATA'), code: 'ERR_VSS_XML_FORBIDDEN' },
  { name: 'external entity', xml: externalEntity.replace(/BACKUP_COMPONENTS/g, 'WRITER_METADATA'), code: 'ERR_VSS_XML_FORBIDDEN' },
  { name: '100,000 levels of nesting', xml: deepXml.replace(/BACKUP_COMPONENTS/g, 'WRITER_METADATA'), code: 'ERR_VSS_XML_LIMIT' },
  { name: 'wrong root element', xml: '<BACKUP_COMPONENTS/>', code: 'ERR_VSS_XML_NOT_WRITER_METADATA' },
  { name: 'malformed writerId', xml: '<WRITER_METADATA><IDENTIFICATION writerId="zz" instanceId="zz" friendlyName="x"/></WRITER_METADATA>', code: 'ERR_VSS_XML_INVALID' },
];
for (const r of xmlRows) rows.push({ name: `parseWriterMetadata: ${r.name}`, run: () => vss.parseWriterMetadata(r.xml), error: vss.VssXmlError, code: r.code });

// ---- the CLI: exit codes and messages, never a stack trace for a user's mistake
const cli = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'vss-badinput-'));
const badJson = join(scratch, 'bad.json');
const contradictory = join(scratch, 'contradictory.json');
writeFileSync(badJson, '{"writers": [');
writeFileSync(contradictory, JSON.stringify({ providers: [] }));
// Machines the system provider cannot copy C: on: too little shadow storage, C: offline for protection.
const shortOfStorage = join(scratch, 'short-of-storage.json');
const offlineForProtection = join(scratch, 'offline-for-protection.json');
writeFileSync(shortOfStorage, JSON.stringify({ volumes: [{ name: 'C:\\', freeSpace: 100 * 1024 * 1024 }] }));
writeFileSync(
  offlineForProtection,
  JSON.stringify({ volumes: [{ name: 'C:\\', protectionLevel: 'snapshot' }], faults: [{ volume: 'C:\\', protectionFault: 'diff-area-full' }] }),
);
const volumeQ = join(scratch, 'volume-q.json');
writeFileSync(volumeQ, JSON.stringify({ volumes: [{ name: 'Q' }] }));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface CliRow {
  args: string[];
  exit: number;
  stderr: RegExp;
}
const cliRows: CliRow[] = [
  { args: ['create', '--simulate'], exit: 2, stderr: /missing required argument/ },
  { args: ['create', '\\\\.\\PhysicalDrive0', '--simulate'], exit: 2, stderr: /device paths/ },
  { args: ['create', 'C:\\', 'c:', '--simulate'], exit: 2, stderr: /not already in the list/ },
  { args: ['create', 'C:\\..\\Windows', '--simulate'], exit: 2, stderr: /'\.\.'/ },
  { args: ['create', 'C:\\', '--simulate', '--exclude-writer', 'No Such Writer'], exit: 2, stderr: /name, class id or instance id of a writer/ },
  { args: ['delete', '--set', 'nope', '--simulate'], exit: 2, stderr: /GUID/ },
  { args: ['expose', 'nope', 'X:', '--simulate'], exit: 2, stderr: /GUID/ },
  { args: ['unexpose', 'nope', '--simulate'], exit: 2, stderr: /GUID/ },
  { args: ['revert', 'nope', '--simulate'], exit: 2, stderr: /GUID/ },
  { args: ['revert', '11111111-1111-4111-8111-111111111111', '--simulate'], exit: 1, stderr: /VSS_E_OBJECT_NOT_FOUND/ },
  { args: ['list', '--id', 'nope', '--simulate'], exit: 2, stderr: /GUID/ },
  { args: ['delete', '--all', '--volume', 'C:', '--simulate'], exit: 2, stderr: /exactly one/ },
  { args: ['delete', '--exposed', 'Q:', '--simulate'], exit: 1, stderr: /VSS_E_OBJECT_NOT_FOUND/ },
  { args: ['list', '--state', 'machine.json'], exit: 2, stderr: /use it with --simulate/ },
  { args: ['writers', '--simulate=/nonexistent/scenario.json'], exit: 2, stderr: /cannot read scenario file/ },
  { args: ['writers', `--simulate=${badJson}`], exit: 2, stderr: /not valid JSON/ },
  { args: ['writers', `--simulate=${contradictory}`], exit: 2, stderr: /not a valid scenario: providers: a machine needs at least one provider/ },
  { args: ['writers', '--simulate=no-such-machine'], exit: 2, stderr: /unknown scenario/ },
  { args: ['metadata', '--simulate', '--writer'], exit: 2, stderr: /argument missing/ },
  { args: ['frobnicate'], exit: 2, stderr: /unknown command/ },
  { args: ['create', '--simulate', '--transportable', 'C:\\'], exit: 2, stderr: /--transportable needs --save-document/ },
  { args: ['create', '--simulate', '--transportable', '--save-document', 'x.xml', '--exec', 'true', 'C:\\'], exit: 2, stderr: /a transportable set has none until imported/ },
  { args: ['import', '/nonexistent/transport.xml', '--simulate'], exit: 2, stderr: /cannot read the document/ },
  { args: ['import', '--simulate'], exit: 2, stderr: /missing required argument/ },
  // What VSS refuses: the HRESULT's name, the engine's reason and the remedy (native/sim/method_rules.inc).
  { args: ['create', 'C:\\', `--simulate=${shortOfStorage}`], exit: 1, stderr: /VSS_E_INSUFFICIENT_STORAGE[\s\S]*C:\\ has 100 MB free[\s\S]*Remedy: Delete old shadow copies/ },
  { args: ['create', 'C:\\', `--simulate=${offlineForProtection}`], exit: 1, stderr: /VSS_E_PROVIDER_VETO[\s\S]*fault diff-area-full[\s\S]*vss storage protect VOLUME --clear/ },
  // The CLI's words, not the API's: --set, not "target.setId".
  { args: ['list', '--set', 'x', '--simulate'], exit: 2, stderr: /^vss: --set must be a GUID/ },
  { args: ['list', '--volume', 'Q:\\..', '--simulate'], exit: 2, stderr: /^vss: --volume must be a volume/ },
  { args: ['expose', '11111111-1111-1111-1111-111111111111', '5:', '--simulate'], exit: 2, stderr: /^vss: <target> must be an absolute folder path/ },
  { args: ['writers', '--simulate', '--frobnicate'], exit: 2, stderr: /^vss: unknown option '--frobnicate'\nsee 'vss writers --help'\n$/ },
  { args: ['metadata', '--simulate', '--xml', '--json'], exit: 2, stderr: /"code":"ERR_USAGE"/ },
  { args: ['writers', '--simulate', 'extra'], exit: 2, stderr: /too many arguments/ },
  // cold8 F21: the default subcommand (list) got the word and the message named 'list', never typed.
  { args: ['storage', 'bogus', '--simulate'], exit: 2, stderr: /^vss: unknown storage subcommand 'bogus': use list, protect, volumes, add, resize, delete\n/ },
  { args: ['storage', 'list', 'bogus', '--simulate'], exit: 2, stderr: /^vss: too many arguments for 'list'/ },
  { args: ['delete', '--simulate', '--set', 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa', '--oldest', 'C:'], exit: 2, stderr: /exactly one/ },
  { args: ['create', '--simulate=', 'C:\\'], exit: 2, stderr: /unknown scenario ''/ },
  // cold8 F9: an option taking several values (or an optional one) swallowed the volume; the error now says so.
  { args: ['create', '--simulate', '--exclude-writer', 'WMI Writer', 'C:'], exit: 2, stderr: /^vss: missing required argument 'volumes': 'C:' was read as a value of --exclude-writer; put the volumes before --exclude-writer, or end its values with -- \(--exclude-writer \.\.\. -- C:\)\n/ },
  { args: ['plan', '--simulate=sql-server', '--include', 'SqlServerWriter', 'E:\\'], exit: 2, stderr: /'E:\\' was read as a value of --include/ },
  { args: ['create', '--simulate', '--retry', 'C:'], exit: 2, stderr: /'C:' was read as a value of --retry/ },
  // cold8 F11: two machines named; the last used to win without a word.
  { args: ['writers', '--simulate=empty', '--scenario', 'sql-server'], exit: 2, stderr: /^vss: two simulated machines named: 'empty' and 'sql-server'/ },
  { args: ['writers', '--scenario', 'empty', '--scenario=sql-server'], exit: 2, stderr: /^vss: two simulated machines named/ },
  { args: ['writers', `--simulate=${volumeQ}`], exit: 2, stderr: /volumes\[0\]\.name: must be a drive \(E:\\\), a mount folder .* not 'Q'/ },
  // vss events: the library's checks of ids and levels, in the flags' names.
  { args: ['events', '--simulate', '--id', '99999999999'], exit: 2, stderr: /^vss: --id is out of range/ },
  { args: ['events', '--simulate', '--level', 'bogus'], exit: 2, stderr: /^vss: --level must be one of/ },
  { args: ['events', '--simulate', '--channel', 'No-Such-Channel'], exit: 2, stderr: /^vss: --channel 'No-Such-Channel': no such event log channel on this machine \(ERROR_EVT_CHANNEL_NOT_FOUND/ },
  // A date still to come would list nothing, as a quiet machine does.
  { args: ['events', '--simulate', '--since', '2999-01-01'], exit: 2, stderr: /^vss: --since 2999-01-01 is in the future/ },
];

describe('bad input: public API', () => {
  it('has at least 60 rows across the API and the CLI', () => {
    expect(rows.length + cliRows.length).toBeGreaterThanOrEqual(60);
  });

  for (const row of rows)
    it(row.name, async () => {
      const sim = vss.createSimulator({ timing: { timeScale: 0 } });
      const session = await vss.BackupSession.create({ backend: sim });
      const fresh = await vss.BackupSession.create({ backend: sim });
      try {
        await session.initializeForBackup();
        await session.gatherWriterMetadata();
        let caught: unknown;
        try {
          await row.run({ sim, session, fresh });
        } catch (error) {
          caught = error;
        }
        expect(caught, 'it must fail').toBeInstanceOf(row.error);
        expect((caught as { code?: string }).code).toBe(row.code);
        expect((caught as Error).message.length).toBeGreaterThan(10);
        // The session and the machine stay usable.
        expect(session.busy).toBe(false);
        await session.gatherWriterStatus();
        expect((await session.getWriterStatus()).length).toBeGreaterThan(0);
        if (!fresh.busy) {
          const again = await vss.BackupSession.create({ backend: sim });
          await again.initializeForBackup();
          await again.release();
        }
        const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
        await set.complete({ succeeded: true });
        expect(sim.describe().snapshotSetInProgress).toBe(false);
      } finally {
        await session.release();
        await fresh.release();
      }
      expect(sim.describe().sessions).toBe(0);
    });
});

describe('bad input: the vss CLI', () => {
  for (const row of cliRows)
    it(`vss ${row.args.join(' ')}`, async () => {
      const result = await runProcess(process.execPath, [cli, ...row.args], { encoding: 'utf8', timeout: 60_000 });
      expect(result.signal).toBeNull();
      expect(result.status).toBe(row.exit);
      expect(result.stderr).toMatch(row.stderr);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
});
