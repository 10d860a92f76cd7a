// The VSS enumerations are declared once, in native/core/vocabulary.inc: code,
// readable name, XML name. lib/vocabulary.generated.ts is generated from it; these
// tests check that the native layer and every TypeScript reader agree with it,
// and run each value through the engine's scenario loader and XML writer and
// lib/metadata's parser.
import { describe, expect, it } from 'vitest';

import {
  BackupTypes,
  ComponentFlagBits,
  ComponentTypes,
  FileRestoreStatuses,
  RestoreTypes,
  RestoreTargets,
  RollForwardTypes,
  ProtectionLevels,
  ProtectionFaults,
  ProviderTypes,
  RestoreMethods,
  SnapshotAttributeBits,
  SnapshotContexts,
  SnapshotStates,
  SourceTypes,
  UsageTypes,
  WriterRestoreModes,
  WriterStates,
  createSimulator,
  getWriterMetadata,
  parseWriterMetadata,
  listShadowCopies,
  snapshotAttributeNames,
  SYSTEM_PROVIDER_ID,
} from '../lib/index.js';
import { loadAddon } from '../lib/native.js';
import { VOCABULARY } from '../lib/vocabulary.generated.js';

const WRITER_ID = '11111111-2222-3333-4444-555555555555';

describe('the vocabulary table', () => {
  it('is the same table in the native layer', () => {
    const native = loadAddon().vocabulary();
    const generated = Object.fromEntries(Object.entries(VOCABULARY).map(([id, v]) => [id, v.terms.map((t) => [...t])]));
    expect(native).toEqual(generated);
    expect(Object.keys(native).length).toBeGreaterThanOrEqual(11);
  });

  it('gives lib/enums.ts its tables', () => {
    const tables = {
      WriterState: WriterStates,
      BackupType: BackupTypes,
      UsageType: UsageTypes,
      SourceType: SourceTypes,
      ComponentType: ComponentTypes,
      RestoreMethod: RestoreMethods,
      WriterRestore: WriterRestoreModes,
      SnapshotState: SnapshotStates,
      ProviderType: ProviderTypes,
      FileRestoreStatus: FileRestoreStatuses,
      RestoreType: RestoreTypes,
      RollForwardType: RollForwardTypes,
      RestoreTarget: RestoreTargets,
      ProtectionLevel: ProtectionLevels,
      ProtectionFault: ProtectionFaults,
      SnapshotContext: SnapshotContexts,
    } as const;
    const bitSets = { SnapshotAttribute: SnapshotAttributeBits, ComponentFlag: ComponentFlagBits } as const;
    expect([...Object.keys(tables), ...Object.keys(bitSets)].sort()).toEqual(Object.keys(VOCABULARY).sort());
    for (const [id, set] of Object.entries(bitSets))
      expect(Object.entries(set), id).toEqual(VOCABULARY[id as keyof typeof bitSets].terms.map(([code, name]) => [name, code]));
    expect(snapshotAttributeNames(0x1d)).toEqual(['persistent', 'client-accessible', 'no-auto-release', 'no-writers']);
    for (const [id, table] of Object.entries(tables)) {
      const terms = VOCABULARY[id as keyof typeof VOCABULARY].terms;
      expect(table.names, id).toEqual(terms.map(([, name]) => name));
      for (const [code, name] of terms) {
        expect(table.code(name as never), `${id} ${name}`).toBe(code);
        expect(table.name(code), `${id} ${code}`).toBe(name);
      }
    }
  });

  it("never names a value 'undefined'", () => {
    for (const { terms } of Object.values(VOCABULARY)) for (const [, name] of terms) expect(name).not.toBe('undefined');
    expect(UsageTypes.name(0)).toBe('unknown');
    expect(BackupTypes.name(0)).toBe('unknown');
    expect(ComponentTypes.name(99)).toBe('unknown');
  });

  it('has unique codes, names and XML names within each enumeration', () => {
    for (const [id, { terms }] of Object.entries(VOCABULARY)) {
      for (const column of [0, 1, 2] as const) {
        const values = terms.map((t) => t[column]).filter((v) => v !== null);
        expect(new Set(values).size, `${id} column ${column}`).toBe(values.length);
      }
    }
  });
});

describe('every writer-metadata enumeration value through the engine and lib/metadata', () => {
  // A writer per value: the scenario loader reads the readable name, the engine
  // writes the XML name into the writer's document, lib/metadata reads it back.
  const cases: { field: 'usage' | 'source' | 'method' | 'writerRestore'; id: keyof typeof VOCABULARY; xmlAttribute: string }[] = [
    { field: 'usage', id: 'UsageType', xmlAttribute: 'usage' },
    { field: 'source', id: 'SourceType', xmlAttribute: 'dataSource' },
    { field: 'method', id: 'RestoreMethod', xmlAttribute: 'method' },
    { field: 'writerRestore', id: 'WriterRestore', xmlAttribute: 'writerRestore' },
  ];
  it.each(cases)('$id', async ({ field, id, xmlAttribute }) => {
    for (const [code, name, xmlName] of VOCABULARY[id].terms) {
      const writer: Record<string, unknown> = { name: `W ${name}`, writerId: WRITER_ID, components: [{ name: 'c' }] };
      if (field === 'usage' || field === 'source') writer[field] = name;
      else writer.restoreMethod = { method: 'custom', writerRestore: 'never', [field]: name };
      const [gathered] = await getWriterMetadata({ backend: createSimulator({ writers: [writer] }), writers: [WRITER_ID] });
      expect(gathered, `${id} ${name}`).toBeDefined();
      expect(gathered!.xml).toContain(`${xmlAttribute}="${xmlName}"`);
      const parsed = parseWriterMetadata(gathered!.xml);
      const read = field === 'usage' || field === 'source' ? { name: parsed[field], code: parsed[`${field}Code`] } : {
        name: parsed.restoreMethod![field],
        code: parsed.restoreMethod![`${field}Code`],
      };
      expect(read, `${id} ${name}`).toEqual({ name, code });
    }
  });

  it("refuses the readable name 'undefined' in a scenario, naming the accepted ones", () => {
    expect(() => createSimulator({ writers: [{ name: 'W', writerId: WRITER_ID, usage: 'undefined' }] })).toThrow(
      /usage: expected one of unknown, bootable-system-state, system-service, user-data, other/,
    );
  });
});

describe('the VSS constants (native/core/vss_constants.h)', () => {
  it("the system provider's id is the same in C++ and in lib/enums.ts", async () => {
    // A shadow copy the scenario seeds gets the engine's kSystemProviderId, and VSS_CTX_BACKUP's attributes plus differential.
    const sim = createSimulator({ shadows: [{ volume: 'C:\\', persistent: false }] });
    const [copy] = await listShadowCopies({ backend: sim });
    expect(copy).toMatchObject({ providerId: SYSTEM_PROVIDER_ID, state: 'created', attributes: ['differential'] });
  });
});
