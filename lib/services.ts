/**
 * Which Windows service hosts each known VSS writer: restarting that service is
 * the usual remedy for a writer stuck in a failed state (Microsoft's "Writer
 * Errors and Vetoes": "try restarting the service that hosts the writer").
 * @module
 */

/** One known writer and the service that hosts it. */
export interface WriterService {
  /** The writer class id (lowercase, no braces). */
  writerId: string;
  /** The writer's name as `vssadmin list writers` shows it. */
  writer: string;
  /** The service's short name, as `sc` and `net stop` take it. */
  service: string;
  /** The service's display name. */
  displayName: string;
  /** Where the association was checked. */
  source: string;
}

// Writer ids are from ../shared/reference/writers.tsv (Microsoft's in-box writers list
// and real vssadmin output). The hosting services were not found in the stored
// Microsoft pages, except where `source` says otherwise; they are what
// `vssadmin list writers` and Services show on Windows Server 2012 R2-2022.
const UNVERIFIED = 'writer id: shared/reference/writers.tsv; hosting service not verified against a stored Microsoft page';
const EXCHANGE_WRITERS = 'Exchange Server 2010 SDK, "Exchange VSS Writers" (bb204080): the Store Writer is built into the Exchange store, the Replication Writer into the Replication Service';
const TABLE: WriterService[] = [
  { writerId: 'e8132975-6f93-4464-a53e-1050253ae220', writer: 'System Writer', service: 'CryptSvc', displayName: 'Cryptographic Services', source: UNVERIFIED },
  { writerId: 'a6ad56c2-b509-4e6c-bb19-49d8f43532f0', writer: 'WMI Writer', service: 'Winmgmt', displayName: 'Windows Management Instrumentation', source: UNVERIFIED },
  { writerId: 'afbab4a2-367d-4d15-a586-71dbb18f8485', writer: 'Registry Writer', service: 'VSS', displayName: 'Volume Shadow Copy', source: UNVERIFIED },
  { writerId: '542da469-d3e1-473c-9f4f-7847f01fc64f', writer: 'COM+ REGDB Writer', service: 'VSS', displayName: 'Volume Shadow Copy', source: UNVERIFIED },
  { writerId: 'be000cbe-11fe-4426-9c58-531aa6355fc4', writer: 'ASR Writer', service: 'VSS', displayName: 'Volume Shadow Copy', source: UNVERIFIED },
  { writerId: '4dc3bdd4-ab48-4d07-adb0-3bee2926fd7f', writer: 'Shadow Copy Optimization Writer', service: 'VSS', displayName: 'Volume Shadow Copy', source: UNVERIFIED },
  { writerId: '75dfb225-e2e4-4d39-9ac9-ffaff65ddf06', writer: 'VSS Metadata Store Writer', service: 'VSS', displayName: 'Volume Shadow Copy', source: UNVERIFIED },
  { writerId: '0bada1de-01a9-4625-8278-69e735f39dd2', writer: 'Performance Counters Writer', service: 'VSS', displayName: 'Volume Shadow Copy', source: UNVERIFIED },
  { writerId: '4969d978-be47-48b0-b100-f328f07ac1e0', writer: 'BITS Writer', service: 'BITS', displayName: 'Background Intelligent Transfer Service', source: UNVERIFIED },
  { writerId: 'd61d61c8-d73a-4eee-8cdd-f6f9786b7124', writer: 'Task Scheduler Writer', service: 'Schedule', displayName: 'Task Scheduler', source: UNVERIFIED },
  { writerId: '2a40fd15-dfca-4aa8-a654-1f8c654603f6', writer: 'IIS Config Writer', service: 'AppHostSvc', displayName: 'Application Host Helper Service', source: UNVERIFIED },
  { writerId: '59b1f0cf-90ef-465f-9609-6ca8b2938366', writer: 'IIS Metabase Writer', service: 'IISADMIN', displayName: 'IIS Admin Service', source: UNVERIFIED },
  { writerId: 'cd3f2362-8bef-46c7-9181-d62844cdc0b2', writer: 'MSSearch Service Writer', service: 'WSearch', displayName: 'Windows Search', source: UNVERIFIED },
  { writerId: 'b2014c9e-8711-4c5c-a5a9-3cf384484757', writer: 'NTDS', service: 'NTDS', displayName: 'Active Directory Domain Services', source: UNVERIFIED },
  { writerId: 'be9ac81e-3619-421f-920f-4c6fea9e93ad', writer: 'Dhcp Jet Writer', service: 'DHCPServer', displayName: 'DHCP Server', source: UNVERIFIED },
  { writerId: '12ce4370-5bb7-4c58-a76a-e5d5097e3674', writer: 'FSRM Writer', service: 'srmsvc', displayName: 'File Server Resource Manager', source: UNVERIFIED },
  { writerId: '6f5b15b5-da24-4d88-b737-63063e3a1f86', writer: 'Certificate Authority', service: 'CertSvc', displayName: 'Active Directory Certificate Services', source: UNVERIFIED },
  { writerId: '35e81631-13e1-48db-97fc-d5bc721bb18a', writer: 'NPS VSS Writer', service: 'IAS', displayName: 'Network Policy Server', source: UNVERIFIED },
  { writerId: '82cb5521-68db-4626-83a4-7fc6f88853e9', writer: 'WDS VSS Writer', service: 'WDSServer', displayName: 'Windows Deployment Services Server', source: UNVERIFIED },
  { writerId: 'a65faa63-5ea8-4ebc-9dbd-a0c4db26912a', writer: 'SqlServerWriter', service: 'SQLWriter', displayName: 'SQL Server VSS Writer', source: UNVERIFIED },
  { writerId: '66841cd4-6ded-4f4b-8f17-fd23f8ddc3de', writer: 'Microsoft Hyper-V VSS Writer', service: 'vmms', displayName: 'Hyper-V Virtual Machine Management', source: UNVERIFIED },
  // Exchange's two writers are instances of one class: the Store Writer "built into the Exchange
  // store", the Replication Writer "built into the Replication Service" (Microsoft's Exchange
  // 2007/2010 SDK page "Exchange VSS Writers", bb204080). Names as vssadmin shows them:
  // ../shared/reference/tool-output/vssadmin-list-writers-exchange2010-w2008r2-stable.txt.
  { writerId: '76fe1ac4-15f7-4bcd-987e-8e1acb462fb7', writer: 'Microsoft Exchange Writer', service: 'MSExchangeIS', displayName: 'Microsoft Exchange Information Store', source: EXCHANGE_WRITERS },
  { writerId: '76fe1ac4-15f7-4bcd-987e-8e1acb462fb7', writer: 'Microsoft Exchange Replica Writer', service: 'MSExchangeRepl', displayName: 'Microsoft Exchange Replication Service', source: EXCHANGE_WRITERS },
  { writerId: 'eee8c692-67ed-4250-8d86-390603070d00', writer: 'Event Log Writer', service: 'EventLog', displayName: 'Windows Event Log', source: UNVERIFIED },
];

/**
 * The hosting service of a writer, by class id (preferred) or name; `undefined` when unknown.
 * Instances of one class (Exchange's Store and Replica writers) are told apart by name: a class
 * id that several services host, with a name none of them has, is unknown rather than guessed,
 * since restarting the wrong service (the Information Store) would do harm.
 * @example hostingServiceOf({ name: 'WMI Writer' })?.service; // 'Winmgmt'
 */
export function hostingServiceOf(writer: { writerId?: string; name?: string }): WriterService | undefined {
  const id = writer.writerId?.toLowerCase();
  const name = writer.name?.toLowerCase();
  const byName = (row: WriterService) => name !== undefined && row.writer.toLowerCase() === name;
  const ofClass = TABLE.filter((row) => row.writerId === id);
  if (ofClass.length === 1) return ofClass[0];
  if (ofClass.length > 1) return ofClass.find(byName);
  return TABLE.find(byName);
}

/**
 * Every writer the table knows.
 * @example for (const row of listWriterServices()) console.log(row.writer, row.service);
 */
export function listWriterServices(): WriterService[] {
  return TABLE.map((row) => ({ ...row }));
}

/** A service whose Service Control Manager events count as VSS-related: its key and English display name. */
export interface VssRelatedService {
  service: string;
  displayName: string;
}

// VSS itself, the system provider (swprv: SCM 7023 beside VSS 12292 in
// ../shared/reference/events/vss-12292-11-scm-7023-swprv-missing.md) and the COM+ Event System
// through which VSS reaches the writers (VSS 12302, KB 940184), then every writer-hosting service
// of the table above.
const CORE_SERVICES: VssRelatedService[] = [
  { service: 'VSS', displayName: 'Volume Shadow Copy' },
  { service: 'swprv', displayName: 'Microsoft Software Shadow Copy Provider' },
  { service: 'EventSystem', displayName: 'COM+ Event System' },
];

/**
 * The services whose Service Control Manager 7023, 7031 and 7034 events `readVssEvents` reads
 * (the one list: the backends match an event's service against it, and on Windows also against
 * each one's localized display name).
 * @example vssRelatedServices().map((s) => s.service); // ['VSS', 'swprv', 'EventSystem', 'CryptSvc', ...]
 */
export function vssRelatedServices(): VssRelatedService[] {
  const out: VssRelatedService[] = [];
  for (const row of [...CORE_SERVICES, ...TABLE])
    if (!out.some((s) => s.service.toLowerCase() === row.service.toLowerCase())) out.push({ service: row.service, displayName: row.displayName });
  return out;
}

/** What {@link writerServiceAdvice} needs of a writer: its identity, state and last error. */
export interface AdvisedWriter {
  name: string;
  writerId: string;
  state: string;
  lastError: { name: string } | null;
}

// Last errors that Microsoft says to retry ("wait ten minutes and then repeat the operation, up to
// three times": CVssWriterEx2::SetWriterFailureEx), a service restart coming only after that
// ("Writer Errors and Vetoes": "If the writer continues to return the error after several retries,
// try restarting the service that hosts the writer").
const TRANSIENT = new Set(['VSS_E_WRITERERROR_RETRYABLE', 'VSS_E_WRITERERROR_TIMEOUT', 'VSS_E_WRITERERROR_OUTOFRESOURCES']);

/**
 * The remedy for a writer that is failed or carries a last error: restart the service that hosts it
 * (the table above), named with the command that does it. `vss writers --restart-failed` restarts
 * only writers in a `failed-*` state (lib/restart.ts), so a stable writer with a last error (or one
 * in the `unknown` state) is given the `net stop`/`net start` command alone: naming a command that
 * would answer "nothing to restart" misleads. One text for `vss health`, `vss hyperv` and errors.
 * @internal
 */
export function writerServiceAdvice(w: AdvisedWriter): string {
  const service = hostingServiceOf(w);
  const failedState = w.state.startsWith('failed-');
  const restart = service
    ? `Restart the service that hosts it, ${service.displayName} (${service.service}), from an elevated prompt: ` +
      (failedState
        ? `vss writers --restart-failed --yes (or net stop ${service.service} && net start ${service.service})`
        : `net stop ${service.service} && net start ${service.service} (vss writers --restart-failed restarts only writers in a failed state)`)
    : 'Restart the service or application that hosts this writer, then run vss writers again.';
  if (failedState || w.lastError === null) return restart;
  // Stable (or waiting) with the last error of an earlier backup: state and last error are
  // independent (vssadmin shows "State: [1] Stable" with "Last error: Retryable error").
  const kind = TRANSIENT.has(w.lastError.name)
    ? `Its last backup failed with ${w.lastError.name}, which may not recur: retry the backup (Microsoft: wait ten minutes, up to three times); if the error stays, restart its service.`
    : `Its last backup failed with ${w.lastError.name}, which is likely to recur: look at its application's events (vss events) and restart its service.`;
  return `${kind} ${restart}`;
}
