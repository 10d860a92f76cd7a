/**
 * Component selection for a backup: which writers and components take part, and why the
 * others do not. One function ({@link selectComponents}) answers for both `planBackup` (a dry
 * run) and `createSnapshotSet` (which adds the components it names), so the two agree.
 *
 * The rules are the ones Microsoft's requester sample applies (VShadow, `select.cpp`), which
 * diskshadow follows:
 * 1. a writer or component the caller excludes is out;
 * 2. a component with a file on a volume outside the snapshot set is out (its files would not be
 *    in the shadow copies);
 * 3. a component with an excluded descendant is out (a component set is backed up whole);
 * 4. a writer with no component left that can be added, or whose top-level non-selectable
 *    component is out, is out entirely (a non-selectable component is the part of the writer
 *    that is always backed up);
 * 5. the components added (`AddComponent`) are those that can be (selectable, or non-selectable
 *    at the top level) and have no ancestor that is added; their descendants come implicitly.
 * Logical paths and selectability: "Working with Selectability for Backup" and "Logical Pathing
 * of Components" (learn.microsoft.com).
 * @module
 */
import type { WriterComponent, WriterMetadata } from './metadata/types.js';
import type { ComponentRef, WriterStatus } from './types.js';
import { invalidArgType, invalidArgValue } from './validate.js';

/**
 * A writer or a component, as the caller names it: a writer's name, class id or instance id
 * (`'Registry Writer'`), a component as diskshadow and VShadow write it
 * (`'System Writer:\System Files'`, `'ASR Writer:\BCD\BCD'`: writer, colon, logical path and name),
 * or an object `{ writer, logicalPath, name }`, or `{ writerId, logicalPath, name }` as components are
 * described elsewhere (`listVirtualMachines()`'s `vm.component`, cold10 F13; other fields are ignored).
 */
export type SelectionEntry = string | { writer: string; logicalPath?: string; name: string } | { writerId: string; logicalPath?: string; name: string };

/** Which writers and components a backup takes (component mode). */
export interface ComponentSelection {
  /** Only these writers and components (and their descendants); default: every one that can be. */
  include?: SelectionEntry[];
  /** Not these writers or components. */
  exclude?: SelectionEntry[];
  /**
   * These writers (every component of them) or components must be in the backup; if one would
   * not be, the backup fails before any snapshot is made (diskshadow's `writer verify`, VShadow's `-wi`).
   */
  verify?: SelectionEntry[];
}

/** Why a writer is in the backup or not. */
export type WriterReason =
  | 'included'
  | 'excluded-by-caller'
  | 'not-included-by-caller'
  /** It failed at identify (no metadata to select from): out, and the backup fails because of it unless the caller leaves it out. */
  | 'writer-failed'
  /** Still in another backup's sequence (`waiting-for-*`): out, and `createSnapshotSet` refuses to start (`WritersBusyError`) unless the caller leaves it out. */
  | 'writer-busy'
  | 'no-components'
  | 'non-selectable-component-excluded'
  /** `selection: false`: every writer takes part whole, no component is added. */
  | 'volume-mode';

/** Why a component is in the backup or not. */
export type ComponentReason =
  /** Added with AddComponent. */
  | 'added'
  /** Backed up with an added ancestor (its component set). */
  | 'implicit'
  /** Volume mode: no component is added; its files are in the shadow copies. */
  | 'volume'
  | 'excluded-by-caller'
  | 'not-included-by-caller'
  | 'volume-not-in-set'
  | 'excluded-descendant'
  | 'not-selectable'
  | 'writer-excluded';

/** One writer in a {@link BackupPlan}: whether it takes part, and why. */
export interface PlannedWriter {
  name: string;
  writerId: string;
  instanceId: string;
  included: boolean;
  reason: WriterReason;
  /** The reason in words. */
  detail: string;
  /** Its state when the plan was made (`null` when it gave no status). */
  state: WriterStatus['state'] | null;
}

/** One component in a {@link BackupPlan}: whether the backup adds it, and why. */
export interface PlannedComponent {
  writerName: string;
  writerId: string;
  instanceId: string;
  type: ComponentRef['type'];
  logicalPath: string;
  name: string;
  /** As diskshadow and VShadow write it: `Writer:\logical path\name`. */
  path: string;
  selectable: boolean;
  /** No other component of the writer is its ancestor. */
  topLevel: boolean;
  included: boolean;
  reason: ComponentReason;
  detail: string;
  /** The volumes its files lie on (drive letters or `\\?\Volume{…}\`); a path on no known volume is given as is. */
  volumes: string[];
}

/** How a path on the machine maps to its volume. */
export interface VolumeResolver {
  /** The volume (lower-case `\\?\Volume{…}\` key, and a name to show) a path lies on; `null` when none. */
  volumeOf(path: string): { key: string; name: string } | null;
  /** Expands `%Variables%` in a path as the machine would (ExpandEnvironmentStrings). */
  expand(path: string): string;
}

export interface SelectionInput {
  metadata: WriterMetadata[];
  /** The writers' status after GatherWriterMetadata (writers failing Identify give status but no metadata). */
  statuses: WriterStatus[];
  /** Writers `options.writers` keeps out (they hear no event, so gave no metadata). */
  disabledWriters: WriterStatus[];
  /** The volume keys in the snapshot set. */
  setVolumes: Set<string>;
  resolver: VolumeResolver;
  /** `null`: volume mode (no component is added); `{}`: every component that can be (the default). */
  selection: ComponentSelection | null;
  /** Explicit components (`options.components`), instead of a selection. */
  components?: ComponentRef[];
}

export interface SelectionResult {
  mode: 'component' | 'volume';
  writers: PlannedWriter[];
  components: PlannedComponent[];
  /** The AddComponent calls, in order. */
  add: ComponentRef[];
  /** Volumes outside the set that the components left out for that reason need (names to show). */
  requiredVolumes: { key: string; name: string }[];
}

const BUSY_STATE = /^waiting-for-/;

interface Node {
  writer: WriterMetadata;
  component: WriterComponent;
  fullPath: string;
  topLevel: boolean;
  reason: ComponentReason | null;
  detail: string;
  volumes: { key: string; name: string }[];
  missing: { key: string; name: string }[];
  explicit: boolean;
}

/** `\logical path\name`, as VShadow computes a component's full path. */
export function fullPathOf(logicalPath: string | undefined, name: string): string {
  const lp = logicalPath ?? '';
  const joined = lp === '' ? name : `${lp.endsWith('\\') ? lp : `${lp}\\`}${name}`;
  return joined.startsWith('\\') ? joined : `\\${joined}`;
}

function isAncestor(ancestor: string, descendant: string): boolean {
  if (descendant.length <= ancestor.length) return false;
  const a = ancestor.endsWith('\\') ? ancestor : `${ancestor}\\`;
  return descendant.toLowerCase().startsWith(a.toLowerCase());
}

/** A parsed entry: a writer, or a component of a writer. */
interface ParsedEntry {
  argument: string;
  text: string;
  writer: string;
  fullPath: string | null;
}

function parseEntry(entry: unknown, argument: string): ParsedEntry {
  if (typeof entry === 'string') {
    if (entry.length === 0 || entry.includes('\0')) throw invalidArgValue(argument, entry, "a writer name or id, or a component 'Writer:\\Logical path\\Name'");
    const colon = entry.indexOf(':');
    // A writer id is a GUID, a name has no colon (VShadow: a ':' makes it a component).
    if (colon < 0) return { argument, text: entry, writer: entry, fullPath: null };
    const writer = entry.slice(0, colon);
    const rest = entry.slice(colon + 1);
    if (writer === '' || rest === '' || rest === '\\')
      throw invalidArgValue(argument, entry, "a component written 'Writer:\\Logical path\\Name' (writer and name both given)");
    return { argument, text: entry, writer, fullPath: rest.startsWith('\\') ? rest : `\\${rest}` };
  }
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const given = entry as Record<string, unknown>;
    // A component as listVirtualMachines() describes it names its writer by class id (cold10 F13).
    const e = given.writer === undefined && given.writerId !== undefined ? { ...given, writer: given.writerId } : given;
    if (typeof e.writer !== 'string' || e.writer === '') throw invalidArgType(`${argument}.writer`, e.writer, 'a writer name or id (string; or writerId)');
    if (typeof e.name !== 'string' || e.name === '') throw invalidArgType(`${argument}.name`, e.name, 'a component name (string)');
    if (e.logicalPath !== undefined && typeof e.logicalPath !== 'string') throw invalidArgType(`${argument}.logicalPath`, e.logicalPath, 'of type string');
    const fullPath = fullPathOf(e.logicalPath as string | undefined, e.name);
    return { argument, text: `${e.writer}:${fullPath}`, writer: e.writer, fullPath };
  }
  throw invalidArgType(argument, entry, "a writer name or id, a component 'Writer:\\Logical path\\Name', or { writer (or writerId), logicalPath, name }");
}

/** Checks a selection's shape (not yet against the machine). */
export function checkSelection(selection: unknown, argument: string): ComponentSelection {
  if (!selection || typeof selection !== 'object' || Array.isArray(selection))
    throw invalidArgType(argument, selection, 'an object { include?, exclude?, verify? }, or false (volume mode)');
  const s = selection as Record<string, unknown>;
  for (const key of Object.keys(s))
    if (!['include', 'exclude', 'verify'].includes(key)) throw invalidArgValue(`${argument}.${key}`, s[key], 'absent (a selection takes include, exclude and verify)');
  for (const key of ['include', 'exclude', 'verify'] as const) {
    if (s[key] === undefined) continue;
    if (!Array.isArray(s[key])) throw invalidArgType(`${argument}.${key}`, s[key], 'an array of writers or components');
    (s[key] as unknown[]).forEach((e, i) => parseEntry(e, `${argument}.${key}[${i}]`));
  }
  if (Array.isArray(s.include) && s.include.length === 0)
    throw invalidArgValue(`${argument}.include`, s.include, 'at least one writer or component (leave include out for every one)');
  return selection as ComponentSelection;
}

function sameWriter(name: string, w: { name: string; writerId: string; instanceId: string }): boolean {
  const key = name.toLowerCase().replace(/[{}]/g, '');
  return w.name.toLowerCase() === key || w.writerId === key || w.instanceId === key;
}

function nodeMatches(entry: ParsedEntry, node: Node): boolean {
  return sameWriter(entry.writer, node.writer) && entry.fullPath !== null && entry.fullPath.toLowerCase() === node.fullPath.toLowerCase();
}

/** Whether `entry` covers the node: its writer, the component itself or an ancestor of it. */
function covers(entry: ParsedEntry, node: Node): boolean {
  if (!sameWriter(entry.writer, node.writer)) return false;
  return entry.fullPath === null || entry.fullPath.toLowerCase() === node.fullPath.toLowerCase() || isAncestor(entry.fullPath, node.fullPath);
}

function label(node: Node): string {
  return `${node.writer.name}:${node.fullPath}`;
}

/** Every entry names a writer or a component on the machine; else a TypeError listing what there is. */
function checkKnown(entries: ParsedEntry[], nodes: Node[], writers: { name: string; writerId: string; instanceId: string }[]): void {
  for (const e of entries) {
    const writerKnown = writers.some((w) => sameWriter(e.writer, w));
    if (!writerKnown)
      throw invalidArgValue(e.argument, e.text, `a writer on this machine (${[...new Set(writers.map((w) => w.name))].join(', ')})`);
    if (e.fullPath !== null && !nodes.some((n) => nodeMatches(e, n))) {
      const of = nodes.filter((n) => sameWriter(e.writer, n.writer)).map(label);
      throw invalidArgValue(e.argument, e.text, of.length > 0 ? `a component of that writer (${of.join(', ')})` : 'a writer with components (it reports none)');
    }
  }
}

/** An include or verify entry that an exclude entry covers is a contradiction: a TypeError naming both. */
function checkContradictions(excludes: ParsedEntry[], others: ParsedEntry[], disabled: WriterStatus[], writersArgument: string): void {
  for (const o of others) {
    for (const x of excludes) {
      const sameW = sameWriterEntry(x, o);
      if (!sameW) continue;
      const covered = x.fullPath === null || (o.fullPath !== null && (o.fullPath.toLowerCase() === x.fullPath.toLowerCase() || isAncestor(x.fullPath, o.fullPath)));
      if (covered)
        throw invalidArgValue(o.argument, o.text, `a writer or component that the exclude entry '${x.text}' does not exclude; they contradict each other`);
    }
    const off = disabled.find((w) => sameWriter(o.writer, w));
    if (off) throw invalidArgValue(o.argument, o.text, `a writer that ${writersArgument} lets take part (it keeps '${off.name}' out, so it hears no backup event); they contradict each other`);
  }
}

function sameWriterEntry(a: ParsedEntry, b: ParsedEntry): boolean {
  return a.writer.toLowerCase().replace(/[{}]/g, '') === b.writer.toLowerCase().replace(/[{}]/g, '');
}

function filesOf(c: WriterComponent): string[] {
  return [...c.files, ...c.databaseFiles, ...c.logFiles].map((f) => f.path);
}

function exclude(node: Node, reason: ComponentReason, detail: string): void {
  if (node.reason === null) {
    node.reason = reason;
    node.detail = detail;
  }
}

/**
 * Which writers and components a backup of `input.setVolumes` takes, and why. Entries that
 * name nothing on the machine, and contradictory entries, are TypeErrors.
 */
export function selectComponents(input: SelectionInput, argument = 'options.selection', writersArgument = 'options.writers'): SelectionResult {
  const { metadata, resolver } = input;
  const nodes: Node[] = [];
  for (const writer of metadata) {
    const own: Node[] = writer.components.map((component) => {
      const volumes: { key: string; name: string }[] = [];
      for (const path of filesOf(component)) {
        const expanded = resolver.expand(path);
        const v = resolver.volumeOf(expanded) ?? { key: `path:${expanded.toLowerCase()}`, name: expanded };
        if (!volumes.some((x) => x.key === v.key)) volumes.push(v);
      }
      return {
        writer,
        component,
        fullPath: fullPathOf(component.logicalPath, component.name),
        topLevel: true,
        reason: null,
        detail: '',
        volumes,
        missing: volumes.filter((v) => !input.setVolumes.has(v.key)),
        explicit: false,
      };
    });
    for (const n of own) n.topLevel = !own.some((a) => isAncestor(a.fullPath, n.fullPath));
    nodes.push(...own);
  }
  const statusOf = (instanceId: string) => input.statuses.find((s) => s.instanceId === instanceId) ?? null;
  const writerList = [...metadata.map((m) => ({ name: m.name, writerId: m.writerId, instanceId: m.instanceId })), ...input.disabledWriters];

  const sel = input.selection;
  const parse = (key: 'include' | 'exclude' | 'verify') => (sel?.[key] ?? []).map((e, i) => parseEntry(e, `${argument}.${key}[${i}]`));
  const includes = parse('include');
  const excludes = parse('exclude');
  const verifies = parse('verify');
  checkContradictions(excludes, [...includes, ...verifies], input.disabledWriters, writersArgument);
  checkKnown([...includes, ...excludes, ...verifies], nodes, [...writerList, ...input.statuses]);

  const writers = new Map<string, PlannedWriter>();
  const planWriter = (w: { name: string; writerId: string; instanceId: string }, included: boolean, reason: WriterReason, detail: string) =>
    writers.set(w.instanceId, { name: w.name, writerId: w.writerId, instanceId: w.instanceId, included, reason, detail, state: statusOf(w.instanceId)?.state ?? null });

  for (const w of input.disabledWriters) planWriter(w, false, 'excluded-by-caller', 'excluded from the backup before it gathered metadata (it hears no backup event)');
  // Writers that answered status but gave no metadata failed Identify; a writer still in another backup is busy.
  // A failed writer the caller left out anyway is out by the caller's choice (its failure is not the backup's).
  const callerOut = (w: { name: string; writerId: string; instanceId: string }): boolean => {
    if (sel === null) return false;
    const x = excludes.find((e) => e.fullPath === null && sameWriter(e.writer, w));
    if (x) planWriter(w, false, 'excluded-by-caller', `excluded by the caller ('${x.text}')`);
    else if (includes.length > 0 && !includes.some((e) => sameWriter(e.writer, w))) planWriter(w, false, 'not-included-by-caller', 'the include list names none of it');
    else return false;
    return true;
  };
  for (const s of input.statuses) {
    if (writers.has(s.instanceId)) continue;
    if (!metadata.some((m) => m.instanceId === s.instanceId) && !callerOut(s))
      planWriter(s, false, 'writer-failed', `it gave no metadata (state ${s.state}${s.lastError ? `, ${s.lastError.name}` : ''})`);
  }
  for (const m of metadata) {
    const s = statusOf(m.instanceId);
    if (s && BUSY_STATE.test(s.state) && !callerOut(m))
      planWriter(m, false, 'writer-busy', `it is ${s.state} in another backup: createSnapshotSet refuses to start without it (WritersBusyError) unless the caller leaves it out`);
    else if (s && s.state === 'failed-at-identify' && !callerOut(m)) planWriter(m, false, 'writer-failed', `it failed at identify${s.lastError ? ` (${s.lastError.name})` : ''}`);
  }

  const writerOut = (m: WriterMetadata) => writers.get(m.instanceId)?.included === false;

  if (sel === null && input.components === undefined) {
    // Volume mode: every writer takes part whole; a component whose files are elsewhere is not captured.
    for (const m of metadata) if (!writers.has(m.instanceId)) planWriter(m, true, 'volume-mode', 'takes part with every component (volume mode: no component is added)');
    for (const n of nodes) {
      if (writerOut(n.writer)) exclude(n, 'writer-excluded', `its writer is out (${writers.get(n.writer.instanceId)!.reason})`);
      else if (n.missing.length > 0) exclude(n, 'volume-not-in-set', `its files on ${n.missing.map((v) => v.name).join(', ')} are not in the snapshot set`);
      else exclude(n, 'volume', n.volumes.length > 0 ? 'its files are in the shadow copies (volume mode)' : 'it lists no files; its writer takes part (volume mode)');
    }
    return finish(metadata.map((m) => m.instanceId), nodes, writers, [], 'volume');
  }

  if (input.components !== undefined) return explicitComponents(metadata, nodes, writers, input.components, planWriter);

  // 1. The caller's choice.
  for (const m of metadata) {
    if (writers.has(m.instanceId)) continue;
    const x = excludes.find((e) => e.fullPath === null && sameWriter(e.writer, m));
    if (x) planWriter(m, false, 'excluded-by-caller', `excluded by the caller ('${x.text}')`);
    else if (includes.length > 0 && !includes.some((e) => sameWriter(e.writer, m)))
      planWriter(m, false, 'not-included-by-caller', 'the include list names none of it');
  }
  for (const n of nodes) {
    if (writerOut(n.writer)) continue;
    const x = excludes.find((e) => e.fullPath !== null && nodeMatches(e, n));
    if (x) exclude(n, 'excluded-by-caller', `excluded by the caller ('${x.text}')`);
    const namedHere = includes.filter((e) => sameWriter(e.writer, n.writer));
    // A writer named only by some of its components: the others are out, except what lies in a
    // non-selectable top-level component (the part of the writer always backed up, whole).
    if (namedHere.length > 0 && !namedHere.some((e) => e.fullPath === null)) {
      const wanted = namedHere.some((e) => covers(e, n));
      const inMandatory = nodes.some((a) => a.writer === n.writer && a.topLevel && !a.component.selectable && (a === n || isAncestor(a.fullPath, n.fullPath)));
      if (!wanted && !inMandatory) exclude(n, 'not-included-by-caller', 'the include list does not name it');
    }
  }

  // 2. Files on a volume outside the set.
  for (const n of nodes) {
    if (writerOut(n.writer) || n.reason !== null) continue;
    if (n.missing.length > 0) exclude(n, 'volume-not-in-set', `its files on ${n.missing.map((v) => v.name).join(', ')} are not in the snapshot set`);
  }
  // 3. A component set with an excluded member is out.
  for (const n of nodes) {
    if (writerOut(n.writer) || n.reason !== null) continue;
    const out = nodes.find((d) => d.writer === n.writer && d.reason !== null && isAncestor(n.fullPath, d.fullPath));
    if (out) exclude(n, 'excluded-descendant', `its member ${out.fullPath} is out (${out.reason}); a component set is backed up whole`);
  }
  const canAdd = (n: Node) => n.reason === null && (n.component.selectable || n.topLevel);
  // 4. Writers with nothing to add, or whose non-selectable top-level component is out.
  for (const m of metadata) {
    if (writers.has(m.instanceId)) continue;
    const own = nodes.filter((n) => n.writer === m);
    const mandatoryOut = own.find((n) => n.topLevel && !n.component.selectable && n.reason !== null);
    if (own.length === 0) planWriter(m, false, 'no-components', 'it reports no components');
    else if (mandatoryOut)
      planWriter(m, false, 'non-selectable-component-excluded', `its non-selectable component ${mandatoryOut.fullPath} is out (${mandatoryOut.detail}), and a writer's non-selectable part is backed up or the writer is not`);
    else if (!own.some(canAdd)) planWriter(m, false, 'no-components', 'none of its components can be added');
    else planWriter(m, true, 'included', 'at least one of its components is added');
  }
  for (const n of nodes) if (writerOut(n.writer)) exclude(n, 'writer-excluded', `its writer is out (${writers.get(n.writer.instanceId)!.reason})`);
  // 5. Added: those that can be and have no ancestor that can be; their descendants come with them.
  const add: ComponentRef[] = [];
  const addable = new Set(nodes.filter(canAdd));
  for (const n of nodes) {
    if (!addable.has(n)) continue;
    if (nodes.some((a) => a.writer === n.writer && addable.has(a) && isAncestor(a.fullPath, n.fullPath))) continue;
    n.explicit = true;
    exclude(n, 'added', 'added with AddComponent');
    add.push({ writerId: n.writer.writerId, instanceId: n.writer.instanceId, type: n.component.type, logicalPath: n.component.logicalPath, name: n.component.name });
  }
  for (const n of nodes) {
    if (n.reason !== null) continue;
    const root = nodes.find((a) => a.writer === n.writer && a.explicit && isAncestor(a.fullPath, n.fullPath));
    if (root) exclude(n, 'implicit', `backed up with ${root.fullPath} (its component set)`);
    else exclude(n, 'not-selectable', 'not selectable, and no component set holding it is in the backup');
  }
  // The caller's verify entries must all be in.
  for (const v of verifies) {
    const mine = nodes.filter((n) => covers(v, n));
    const w = [...writers.values()].find((x) => sameWriter(v.writer, x));
    if (v.fullPath === null && w && !w.included) throw notSelected(v, `writer ${w.name} is not in the backup: ${w.detail}`);
    const out = mine.find((n) => n.reason !== 'added' && n.reason !== 'implicit');
    if (out) throw notSelected(v, `${label(out)} is not in the backup: ${out.detail}`);
  }
  return finish(metadata.map((m) => m.instanceId), nodes, writers, add, 'component');
}

/** `options.components`: exactly the components named are added (with their descendants), as createSnapshotSet adds them. */
function explicitComponents(
  metadata: WriterMetadata[],
  nodes: Node[],
  writers: Map<string, PlannedWriter>,
  components: ComponentRef[],
  planWriter: (w: WriterMetadata, included: boolean, reason: WriterReason, detail: string) => void,
): SelectionResult {
  const add: ComponentRef[] = [];
  for (const c of components) {
    const path = fullPathOf(c.logicalPath, c.name);
    const n = nodes.find((x) => x.writer.writerId === c.writerId.toLowerCase() && x.writer.instanceId === c.instanceId.toLowerCase() && x.fullPath.toLowerCase() === path.toLowerCase());
    if (n) {
      n.explicit = true;
      const elsewhere = n.missing.length > 0 ? `; its files on ${n.missing.map((v) => v.name).join(', ')} are not in the snapshot set` : '';
      exclude(n, 'added', `options.components names it${elsewhere}`);
    }
    add.push(c);
  }
  for (const n of nodes) {
    const root = nodes.find((a) => a.writer === n.writer && a.explicit && isAncestor(a.fullPath, n.fullPath));
    if (root) exclude(n, 'implicit', `backed up with ${root.fullPath} (its component set)`);
    else exclude(n, 'not-included-by-caller', 'options.components does not name it');
  }
  for (const m of metadata)
    if (!writers.has(m.instanceId)) {
      const any = nodes.some((x) => x.writer === m && x.explicit);
      planWriter(m, any, any ? 'included' : 'not-included-by-caller', any ? 'options.components names its components' : 'options.components names none of its components');
    }
  return finish(metadata.map((m) => m.instanceId), nodes, writers, add, 'component');
}

function finish(order: string[], nodes: Node[], writers: Map<string, PlannedWriter>, add: ComponentRef[], mode: SelectionResult['mode']): SelectionResult {
  const required = new Map<string, { key: string; name: string }>();
  for (const n of nodes)
    if (n.reason === 'volume-not-in-set') for (const v of n.missing) if (!v.key.startsWith('path:')) required.set(v.key, v);
  const rank = (w: PlannedWriter) => (order.includes(w.instanceId) ? order.indexOf(w.instanceId) : order.length);
  return {
    mode,
    writers: [...writers.values()].sort((a, b) => rank(a) - rank(b)),
    components: nodes.map((n) => ({
      writerName: n.writer.name,
      writerId: n.writer.writerId,
      instanceId: n.writer.instanceId,
      type: n.component.type,
      logicalPath: n.component.logicalPath,
      name: n.component.name,
      path: label(n),
      selectable: n.component.selectable,
      topLevel: n.topLevel,
      included: n.reason === 'added' || n.reason === 'implicit' || n.reason === 'volume',
      reason: n.reason!,
      detail: n.detail,
      volumes: n.volumes.map((v) => v.name),
    })),
    add,
    requiredVolumes: [...required.values()],
  };
}

/** A verify entry that would not be in the backup: raised before any snapshot is made. */
export class VssSelectionError extends Error {
  override name = 'VssSelectionError';
  /** `'ERR_VSS_NOT_SELECTED'`. */
  readonly code = 'ERR_VSS_NOT_SELECTED';
  /** The entry that failed, as the caller wrote it. */
  readonly entry: string;
  constructor(entry: string, argument: string, why: string) {
    super(`'${entry}' (${argument.replace(/^options\.selection\./, '').replace(/\[\d+\]$/, '')}) would not be in the backup: ${why}`);
    this.entry = entry;
  }
}

function notSelected(v: ParsedEntry, why: string): VssSelectionError {
  return new VssSelectionError(v.text, v.argument, why);
}
