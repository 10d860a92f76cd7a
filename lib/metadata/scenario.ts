/**
 * Replaying a real machine's writers in the simulator: record their metadata once
 * on Windows (`vss metadata --xml`), build a scenario from the documents anywhere.
 * @module
 */
import { checkOptionsObject, optionKeys } from '../validate.js';
import type { Scenario } from '../simulator.js';
import { parseWriterMetadata } from './parse.js';
import type { FileDescriptor, WriterComponent, WriterMetadata } from './types.js';

/** Options of {@link scenarioFromWriterMetadata}. */
export interface ScenarioFromWriterMetadataOptions {
  /** The scenario's name (default `'from-writer-metadata'`). */
  name?: string;
  /** The simulated machine's name. */
  machineName?: string;
  /**
   * A built-in scenario to start from: its writers stay, and a writer with the same class id
   * is replaced by the one from the document. Without it, the machine has exactly the
   * documents' writers, the system provider, and the volumes their files are on.
   */
  base?: string;
}

const SYSTEM_PROVIDER = {
  providerId: 'b5946137-7b9f-4925-af80-51abd60b20d5',
  name: 'Microsoft Software Shadow Copy provider 1.0',
  type: 'system',
  version: '1.0.0.7',
};

const VOLUME_GUID_PATH = /^\\\\\?\\Volume\{([0-9a-fA-F-]{36})\}/;

/** The volume a path is on, as the scenario names volumes: `'D:\'`, `'\\?\Volume{...}\'`; environment paths are on C:. */
function volumeOf(path: string | null): { name: string; guid?: string } | null {
  if (!path) return null;
  const letter = /^([A-Za-z]):/.exec(path);
  if (letter) return { name: `${letter[1]!.toUpperCase()}:\\` };
  if (/^%[^%]+%/.test(path)) return { name: 'C:\\' };
  const guid = VOLUME_GUID_PATH.exec(path);
  if (guid) return { name: `\\\\?\\Volume{${guid[1]!.toLowerCase()}}\\`, guid: guid[1]!.toLowerCase() };
  return null;
}

function file(f: FileDescriptor): Record<string, unknown> {
  return {
    path: f.path,
    filespec: f.filespec,
    recursive: f.recursive,
    ...(f.alternatePath ? { alternatePath: f.alternatePath } : {}),
    backupTypeMask: f.backupTypeMask,
  };
}

function component(c: WriterComponent): Record<string, unknown> {
  return {
    name: c.name,
    logicalPath: c.logicalPath,
    caption: c.caption,
    type: c.typeCode === 1 ? 'database' : 'file-group',
    selectable: c.selectable,
    selectableForRestore: c.selectableForRestore,
    restoreMetadata: c.restoreMetadata,
    notifyOnBackupComplete: c.notifyOnBackupComplete,
    flags: c.flags,
    files: c.files.map(file),
    databaseFiles: c.databaseFiles.map(file),
    logFiles: c.logFiles.map(file),
    dependencies: c.dependencies.map((d) => ({ writerId: d.writerId, logicalPath: d.logicalPath, componentName: d.componentName })),
  };
}

/**
 * Several documents one after another, as `vss metadata --xml` prints them, split at each
 * root start tag (WRITER_METADATA never nests). Each piece is then parsed strictly.
 */
function splitDocuments(text: string): string[] {
  const starts: number[] = [];
  for (const match of text.matchAll(/<WRITER_METADATA[\s>/]/g)) starts.push(match.index);
  if (starts.length <= 1) return [text];
  starts[0] = 0; // whatever precedes the first root (a declaration) stays with it
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

function allFiles(m: WriterMetadata): FileDescriptor[] {
  return [
    ...m.components.flatMap((c) => [...c.files, ...c.databaseFiles, ...c.logFiles]),
    ...m.includeFiles,
    ...m.excludeFiles,
    ...m.excludeFromSnapshot,
    ...m.alternateLocationMappings,
  ];
}

/**
 * Builds a simulator scenario whose writers are the ones the writer metadata documents
 * describe, with every component, file list, exclusion, restore method and identity.
 * Pass it to {@link createSimulator}; `getWriterMetadata({ backend: sim })` then gives
 * those writers back.
 *
 * @param documents writer metadata documents (XML text or bytes, as diskshadow saves them;
 *   a text holding several documents one after another, as `vss metadata --xml` prints them,
 *   counts as several), or metadata already parsed.
 * @throws {VssXmlError} when a document cannot be read.
 * @example
 * const xmls = readdirSync('writers').map((f) => readFileSync(join('writers', f), 'utf8'));
 * const sim = createSimulator(scenarioFromWriterMetadata(xmls));
 * const writers = await listWriters({ backend: sim });
 */
export function scenarioFromWriterMetadata(
  documents: readonly (string | Uint8Array | WriterMetadata)[],
  options: ScenarioFromWriterMetadataOptions = {},
): Scenario {
  if (!Array.isArray(documents)) {
    const error = new TypeError('The "documents" argument must be an array of writer metadata documents');
    (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
  checkOptionsObject(options, 'options', optionKeys<ScenarioFromWriterMetadataOptions>()({ name: true, machineName: true, base: true }));
  const metadata = documents.flatMap((d) =>
    typeof d === 'string' ? splitDocuments(d).map((one) => parseWriterMetadata(one)) : d instanceof Uint8Array ? [parseWriterMetadata(d)] : [d],
  );
  const volumes = new Map<string, { name: string; guid?: string }>([['C:\\', { name: 'C:\\' }]]);
  const writers = metadata.map((m) => {
    const writerVolumes = new Set<string>();
    for (const f of allFiles(m)) {
      for (const v of [volumeOf(f.path), volumeOf(f.alternatePath)]) {
        if (!v) continue;
        writerVolumes.add(v.name);
        if (!volumes.has(v.name)) volumes.set(v.name, v);
      }
    }
    return {
      name: m.name,
      writerId: m.writerId,
      instanceId: m.instanceId,
      instanceName: m.instanceName,
      usage: m.usageCode,
      source: m.sourceCode,
      backupSchema: m.backupSchema,
      version: `${m.version.major}.${m.version.minor}`,
      restoreMethod: m.restoreMethod && {
        method: m.restoreMethod.methodCode,
        service: m.restoreMethod.service,
        userProcedure: m.restoreMethod.userProcedure,
        writerRestore: m.restoreMethod.writerRestoreCode,
        rebootRequired: m.restoreMethod.rebootRequired,
      },
      components: m.components.map(component),
      includeFiles: m.includeFiles.map(file),
      excludeFiles: m.excludeFiles.map(file),
      excludeFromSnapshot: m.excludeFromSnapshot.map(file),
      alternateLocationMappings: m.alternateLocationMappings.map(file),
      volumes: [...writerVolumes],
    };
  });
  return {
    ...(options.base ? { base: options.base } : { providers: [SYSTEM_PROVIDER] }),
    name: options.name ?? 'from-writer-metadata',
    ...(options.machineName ? { machineName: options.machineName } : {}),
    volumes: [...volumes.values()].map((v) => ({ name: v.name, ...(v.guid ? { guid: v.guid } : {}) })),
    writers,
  };
}
