// The C++/TypeScript boundary is declared once on each side: native/napi/operations.cpp
// registers the operations the addon runs, lib/native.ts declares them with their
// argument and result types (NativeOperations). These tests read that declaration
// from its source and compare it with the addon's own list, as the HRESULT test
// compares the two copies of that table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { BackupSession, createSimulator } from '../lib/index.js';
import { loadAddon, packageRoot, type NativeSessionHandle, type OperationName, type RawFiles } from '../lib/native.js';

interface DeclaredOperation {
  name: string;
  required: string[];
  optional: string[];
}

/** The members of `interface NativeOperations` in lib/native.ts, with their argument fields. */
function declaredOperations(): DeclaredOperation[] {
  const path = join(packageRoot, 'lib/native.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'NativeOperations',
  );
  if (!found) throw new Error('lib/native.ts declares no interface NativeOperations');
  return found.members.map((member) => {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type))
      throw new Error(`NativeOperations: cannot read member ${member.getText(source)}`);
    const args = member.type.typeArguments?.[0];
    const fields = args && ts.isTypeLiteralNode(args) ? args.members.filter(ts.isPropertySignature) : [];
    return {
      name: member.name.getText(source),
      required: fields.filter((f) => !f.questionToken).map((f) => f.name.getText(source)),
      optional: fields.filter((f) => f.questionToken).map((f) => f.name.getText(source)),
    };
  });
}

/** The property names of each `export interface Raw…` (and `PackedFiles`) in lib/native.ts. */
function declaredRawTypes(): Map<string, string[]> {
  const path = join(packageRoot, 'lib/native.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const types = new Map<string, string[]>();
  for (const s of source.statements)
    if (ts.isInterfaceDeclaration(s) && /^(Raw|Packed)/.test(s.name.text))
      types.set(s.name.text, s.members.filter(ts.isPropertySignature).map((m) => m.name.getText(source)).sort());
  return types;
}

describe('the native operation table', () => {
  const declared = declaredOperations();
  const addon = loadAddon();

  it('lists the same operations in the addon and in NativeOperations', () => {
    expect(declared.length).toBeGreaterThan(30);
    expect(Object.keys(addon.operations).sort()).toEqual(declared.map((d) => d.name).sort());
  });

  it('names the COM method of every operation', () => {
    for (const [name, method] of Object.entries(addon.operations)) {
      // noop (the yardstick of npm run bench) stands for no VSS method: a name no COM method has.
      if (name === 'noop') {
        expect(method).toBe('(no-op)');
        continue;
      }
      expect(method, name).toMatch(/^[A-Z][A-Za-z]+$/);
      // The JS name is the COM method's, in camel case, except where COM has one Query for two lists.
      if (method !== 'Query') expect(name.toLowerCase(), name).toBe(method.toLowerCase());
    }
    expect(addon.operations.saveAsXml).toBe('SaveAsXML');
    expect(addon.operations.querySnapshots).toBe('Query');
    expect(Object.isFrozen(addon.operations)).toBe(true);
  });

  it('reads every required argument field the declaration names', async () => {
    // On a session never opened: arguments are read on the JS thread before any
    // VSS call, so a missing field is reported by name whatever the state.
    const machine = createSimulator();
    const handle = new addon.NativeSession('simulated', machine.handle) as NativeSessionHandle;
    const call = handle.call.bind(handle) as (op: string, args: object) => Promise<unknown>;
    let checked = 0;
    for (const { name, required } of declared) {
      for (const field of required) {
        const args = Object.fromEntries(required.filter((f) => f !== field).map((f) => [f, validValue(f)]));
        await expect(call(name, args), `${name} without ${field}`).rejects.toMatchObject({
          code: 'ERR_INVALID_ARG_TYPE',
          message: expect.stringContaining(`"${field}"`),
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
    await handle.release();
  });

  it('refuses a wrongly typed optional field instead of ignoring it', async () => {
    const machine = createSimulator();
    const handle = new addon.NativeSession('simulated', machine.handle) as NativeSessionHandle;
    const call = handle.call.bind(handle) as (op: string, args: object) => Promise<unknown>;
    let checked = 0;
    for (const { name, required, optional } of declared) {
      for (const field of optional) {
        const args = Object.fromEntries([...required.map((f) => [f, validValue(f)]), [field, Symbol('wrong')]]);
        await expect(call(name, args), `${name} with a wrong ${field}`).rejects.toMatchObject({
          message: expect.stringContaining(`"${field}"`),
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    await handle.release();
  });

  it('rejects an operation the table does not have', async () => {
    const handle = new addon.NativeSession('simulated', createSimulator().handle) as NativeSessionHandle;
    await expect(handle.call('noSuchCall' as OperationName, {} as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: "Unknown session operation 'noSuchCall'",
    });
    await handle.release();
  });

  it('times each step under its COM method name', async () => {
    await using session = await BackupSession.create({ backend: createSimulator({ timing: { timeScale: 0.01 } }) });
    await session.initializeForBackup();
    await session.saveAsXml();
    await session.querySnapshots();
    expect(session.timings.map((t) => t.operation)).toEqual(['InitializeForBackup', 'SaveAsXML', 'Query']);
  });
});

describe('the Raw types', () => {
  it('name exactly the fields the addon returns', async () => {
    const declared = declaredRawTypes();
    const sim = createSimulator({ timing: { timeScale: 0.01 } });
    const handle = new (loadAddon().NativeSession)('simulated', sim.handle);
    await handle.open();
    await handle.call('initializeForBackup', {});
    await handle.call('setBackupState', { backupType: 1 });
    await handle.call('gatherWriterMetadata', {});
    const metadata = await handle.call('getWriterMetadata', {});
    const count = (files: RawFiles) => ('count' in files ? files.count : files.length);
    const writer = metadata.find((w) => w.components.some((c) => count(c.files) > 0) && w.restoreMethod !== null)!;
    const component = writer.components.find((c) => count(c.files) > 0)!;
    await handle.call('addComponent', {
      component: { writerId: writer.writerId, instanceId: writer.instanceId, type: component.type, logicalPath: component.logicalPath, name: component.name },
    });
    await handle.call('startSnapshotSet', {});
    await handle.call('addToSnapshotSet', { volume: 'C:\\' });
    await handle.call('prepareForBackup', {});
    await handle.call('doSnapshotSet', {});
    await handle.call('gatherWriterStatus', {});
    const samples: Record<string, object | undefined> = {
      RawWriterMetadata: writer,
      RawComponent: component,
      PackedFiles: component.files,
      RawWriterStatus: (await handle.call('getWriterStatus', {}))[0],
      RawWriterComponents: (await handle.call('getWriterComponents', {}))[0],
      RawSnapshot: (await handle.call('querySnapshots', {}))[0],
      RawProvider: (await handle.call('queryProviders', {}))[0],
      RawDiffArea: (await handle.queryDiffAreas())[0],
      RawDiffVolume: (await handle.queryVolumesSupportedForDiffAreas('C:\\'))[0],
      RawVolumeProtection: await handle.protectionCall('GetVolumeProtectLevel', 'C:\\'),
    };
    samples.RawComponentStatus = (samples.RawWriterComponents as { components: object[] } | undefined)?.components[0];
    const snapshot = samples.RawSnapshot as { snapshotId: string } | undefined;
    await handle.call('backupComplete', {});
    samples.RawDeleteResult = await handle.call('deleteSnapshots', { id: snapshot!.snapshotId });
    await handle.release();
    // A file list crosses packed unless a string holds a NUL: one with a NUL gives the objects.
    const nul = createSimulator({ writers: [{ name: 'NUL', writerId: '11111111-2222-3333-4444-555555555555', includeFiles: [{ path: 'C:\\a\u0000b', filespec: '*' }] }] });
    const objects = new (loadAddon().NativeSession)('simulated', nul.handle);
    await objects.open();
    await objects.call('initializeForBackup', {});
    await objects.call('gatherWriterMetadata', {});
    const nulWriter = (await objects.call('getWriterMetadata', {})).find((w) => w.name === 'NUL');
    samples.RawFile = Array.isArray(nulWriter?.includeFiles) ? nulWriter.includeFiles[0] : undefined;
    await objects.release();
    const logged = new (loadAddon().NativeSession)('simulated', createSimulator({ events: [{ provider: 'VSS', eventId: 8193, message: 'm', data: { k: 'v' } }] }).handle);
    samples.RawEventRecord = (await logged.readEvents({}))[0];
    samples.RawServiceRestart = await logged.restartService({ service: 'Winmgmt', displayName: 'WMI', writerIds: ['a6ad56c2-b509-4e6c-bb19-49d8f43532f0'], instanceIds: [], timeoutMs: 1000 });
    await logged.release();
    // RawComponentRef, RawEventQuery and RawServiceRestartRequest are arguments (the first checked by the field test above).
    const argumentTypes = ['RawComponentRef', 'RawEventQuery', 'RawServiceRestartRequest'];
    expect([...declared.keys()].filter((name) => !argumentTypes.includes(name)).sort()).toEqual(Object.keys(samples).sort());
    for (const [name, sample] of Object.entries(samples)) {
      expect(sample, name).toBeDefined();
      expect(Object.keys(sample!).sort(), name).toEqual(declared.get(name));
    }
  });
});

/** A value of the right type for an argument field, by its name. */
function validValue(field: string): unknown {
  switch (field) {
    case 'component':
      return { writerId: '00000000-0000-0000-0000-000000000001', instanceId: '00000000-0000-0000-0000-000000000002', type: 2, name: 'c' };
    case 'ids':
      return [];
    case 'context':
    case 'backupType':
    case 'status':
    case 'attributes':
    case 'restoreType':
    case 'rollForwardType':
    case 'flags':
    case 'partialFile':
      return 1;
    case 'id':
    case 'snapshotId':
    case 'snapshotSetId':
      return '00000000-0000-0000-0000-000000000003';
    default:
      return 'x';
  }
}
