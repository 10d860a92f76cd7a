// Shared steps for the behaviour cases (cases/*.mjs). Runner-neutral: only the
// harness `h` (../harness.d.ts) and node:assert are used, so both runners load it.
import assert from 'node:assert/strict';

export const both = ['linux', 'wine'];
export const linux = ['linux'];

/**
 * Services that depend on a writer-hosting service, for the restart cases: a scenario's
 * "services" on Linux, and fixture services registered with the same dependencies and
 * groups in the Wine prefix (scripts/test-wine.mjs), which the Wine runner starts when a
 * scenario lists them. VssNapiDependent2 depends on CryptSvc through VssNapiDependent,
 * which belongs to the load-ordering group VssNapiGroup.
 */
export const fixtureDependents = [
  { name: 'VssNapiDependent', dependsOn: ['CryptSvc'], group: 'VssNapiGroup' },
  { name: 'VssNapiDependent2', dependsOn: ['VssNapiDependent'] },
];
/**
 * A service that depends on the group VssNapiGroup ("+VssNapiGroup" in lpDependencies,
 * DependOnGroup in the registry), hence on VssNapiDependent, hence on CryptSvc. Only a
 * scenario that lists it runs it (under Wine it stays stopped otherwise).
 */
export const fixtureGroupDependents = [{ name: 'VssNapiGroupDependent', dependsOn: ['+VssNapiGroup'] }];

/** Simulated time at 1/100: a whole backup takes a few tens of milliseconds. */
export const fast = { timing: { timeScale: 0.01 } };

/** The built-in scenarios' \\?\Volume{guid}\ name of C:. */
export const SCENARIO_C_VOLUME = '\\\\?\\Volume{c7463abb-f40d-11e9-80c7-806e6f6e6963}\\';

/**
 * C:'s \\?\Volume{guid}\ name as the system gives it (h.systemVolumeName), the name its
 * shadow copies report: on Linux the scenario's (checked against it), under Wine the host's.
 */
export async function cVolume(h, m) {
  const name = await m.systemVolumeName('C:\\');
  assert.match(name ?? '', /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/);
  if (h.where === 'linux') assert.equal(name, SCENARIO_C_VOLUME);
  return name;
}

export const SYSTEM_PROVIDER = 'b5946137-7b9f-4925-af80-51abd60b20d5';
export const writerIds = {
  system: 'e8132975-6f93-4464-a53e-1050253ae220',
  registry: 'afbab4a2-367d-4d15-a586-71dbb18f8485',
  sql: 'a65faa63-5ea8-4ebc-9dbd-a0c4db26912a',
  hyperv: '66841cd4-6ded-4f4b-8f17-fd23f8ddc3de',
};

/** A scenario built on `fast` (or another base) with extra parts. */
export function scenario(extra = {}) {
  return { ...extra, timing: { timeScale: 0.01, ...(extra.timing ?? {}) } };
}

/** A machine and a session on it, after InitializeForBackup (and SetContext when given). */
export async function initialized(h, machineScenario = fast, context) {
  const m = await h.machine(machineScenario);
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  if (context !== undefined) await session.setContext(context);
  return { m, session };
}

/** Runs a backup up to (and including) `until`: 'start', 'add', 'prepare', 'snapshot' or 'complete'. */
export async function backupUntil(session, until, { volumes = ['C:\\'], withMetadata = true } = {}) {
  const steps = ['start', 'add', 'prepare', 'snapshot', 'complete'];
  const stop = steps.indexOf(until);
  assert.ok(stop >= 0, `unknown step ${until}`);
  if (withMetadata) await session.gatherWriterMetadata();
  const setId = await session.startSnapshotSet();
  const snapshotIds = [];
  if (stop >= 1) for (const v of volumes) snapshotIds.push(await session.addToSnapshotSet(v));
  if (stop >= 2) await session.prepareForBackup();
  if (stop >= 3) await session.doSnapshotSet();
  if (stop >= 4) await session.backupComplete();
  return { setId, snapshotIds };
}

/** Every writer's status, fresh (GatherWriterStatus then GetWriterStatus). */
export async function statuses(session) {
  await session.gatherWriterStatus();
  return session.getWriterStatus();
}

/** One writer's fresh status, by name. */
export async function statusOf(session, name) {
  const all = await statuses(session);
  const found = all.find((w) => w.name === name);
  assert.ok(found, `no writer named ${name} in ${all.map((w) => w.name).join(', ')}`);
  return found;
}

/** A second requester on the same machine, ready to ask for writer status. */
export async function observer(h, m) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  return session;
}

/** A shadow copy set made and left in place by a session of its own; returns what it created. */
export async function makeSet(h, m, { context = 'backup', volumes = ['C:\\'], provider, keepSession = false } = {}) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.setContext(context);
  const withWriters = context === 'backup' || context === 'app-rollback' || context === 'client-accessible-writers';
  if (withWriters) await session.gatherWriterMetadata();
  const setId = await session.startSnapshotSet();
  const snapshotIds = [];
  for (const v of volumes) snapshotIds.push(await session.addToSnapshotSet(v, provider));
  await session.prepareForBackup();
  await session.doSnapshotSet();
  if (withWriters) await session.backupComplete();
  if (!keepSession) await session.release();
  return { session, setId, snapshotIds };
}

/** A requester for queries and management in a context (default backup). */
export async function manager(h, m, context) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  if (context !== undefined) await session.setContext(context);
  return session;
}

export const VSS_CTX_ALL = 0xffffffff;

/** A random GUID no machine knows. */
export function unknownGuid() {
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A user's abort after `ms`: AbortSignal.timeout() rejects with its TimeoutError instead of AbortError. */
export function abortAfter(ms) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

/** A scenario the engine refuses (E_INVALIDARG from LoadScenario) is a TypeError, with the engine's error as its cause (issue 9 item 12). */
export function scenarioRefused(error) {
  return error instanceof TypeError && error.code === 'ERR_INVALID_ARG_VALUE' && error.cause?.code === 'E_INVALIDARG';
}

/** A hardware provider, and the default machine with a SAN volume S: only it supports. */
export const HARDWARE_PROVIDER = '7d4e9c1a-2b3f-4a5d-8e6f-9a0b1c2d3e4f';
export const withSanVolume = scenario({
  base: 'windows-server-2022',
  providers: [{ providerId: HARDWARE_PROVIDER, name: 'Contoso SAN Provider', type: 'hardware' }],
  volumes: [{ name: 'S:\\', providers: [HARDWARE_PROVIDER] }],
});

/** The sql-server scenario (fast), with extra parts. */
export const sqlMachine = (extra = {}) => scenario({ base: 'sql-server', ...extra });

/** A component backup of two SQL databases; returns its Backup Components Document and the refs. */
export async function backedUp(h) {
  const { session } = await initialized(h, sqlMachine());
  await session.setBackupState({ selectComponents: true, backupType: 'full' });
  await session.gatherWriterMetadata();
  const sql = (await session.getWriterMetadata()).find((w) => w.writerId === writerIds.sql);
  const refs = ['master', 'SalesDb'].map((name) => {
    const c = sql.components.find((x) => x.name === name);
    return { writerId: sql.writerId, instanceId: sql.instanceId, type: c.type, logicalPath: c.logicalPath, name };
  });
  for (const ref of refs) await session.addComponent(ref);
  await session.startSnapshotSet();
  await session.addToSnapshotSet('E:\\');
  await session.addToSnapshotSet('F:\\');
  await session.prepareForBackup();
  await session.doSnapshotSet();
  for (const ref of refs) await session.setBackupSucceeded(ref, true);
  await session.backupComplete();
  const bcd = await session.saveAsXml();
  await session.release();
  return { bcd, refs };
}

/**
 * A writer with a component set (a database and two subcomponents, one selectable for restore),
 * a partial file and an alternate location mapping: the restore cases and test/cli.test.ts use it.
 */
export const mailWriter = {
  name: 'Mail Writer',
  writerId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  instanceId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  volumes: ['D:\\'],
  // Alternate location mappings belong to the restore method (its document keeps them under RESTORE_METHOD).
  restoreMethod: { method: 'restore-to-alternate-location' },
  alternateLocationMappings: [{ path: 'D:\\Mail\\SG1', filespec: '*.edb', alternatePath: 'E:\\MailAlt' }],
  components: [
    {
      name: 'Storage Group 1',
      logicalPath: 'Mail',
      type: 'database',
      databaseFiles: [{ path: 'D:\\Mail\\SG1', filespec: '*.edb' }],
      logFiles: [{ path: 'D:\\Mail\\Logs', filespec: '*.log' }],
      // What the writer records with IVssComponent::AddPartialFile when the requester supports partial files.
      partialFiles: [{ path: 'D:\\Mail\\SG1', filespec: 'priv1.edb', ranges: 'D:\\Mail\\SG1\\priv1.ranges', metadata: 'sg1' }],
    },
    { name: 'Mailbox Store', logicalPath: 'Mail\\Storage Group 1', selectable: false, selectableForRestore: true, files: [{ path: 'D:\\Mail\\SG1', filespec: 'priv1.edb' }] },
    { name: 'Public Store', logicalPath: 'Mail\\Storage Group 1', selectable: false, files: [{ path: 'D:\\Mail\\SG1', filespec: 'pub1.edb' }] },
  ],
};
