/**
 * vss-napi: the Windows Volume Shadow Copy Service from Node.js.
 *
 * - High level: {@link listWriters}, {@link getWriterMetadata}, and the snapshot calls.
 * - Low level: {@link BackupSession}, one method per `IVssBackupComponents` call.
 * - Off Windows: the simulation backend (`backend: 'simulated'` or {@link createSimulator}).
 *
 * Guides:
 * - [Backing up](../docs/backup.md): a backup in one call, holding a snapshot set, and step by step;
 * - [Restoring from a saved document](../docs/restore.md);
 * - [Error handling](../docs/errors.md): the error classes, and what `instanceof VssError` catches;
 * - [The simulator](../docs/simulator.md) and its scenario format;
 * - [Monitoring](../docs/monitoring.md): writer health, progress, cancellation, the debug log.
 *
 * Where to start in the reference: {@link listWriters} and {@link getWriterMetadata} (writers,
 * their health and metadata); {@link withSnapshotSet}, {@link createSnapshotSet} and
 * {@link SnapshotSet} (backups); {@link BackupSession} (every `IVssBackupComponents` call,
 * grouped by phase); {@link listShadowCopies}, {@link deleteShadowCopies} and
 * {@link exposeShadowCopy} (managing shadow copies); {@link parseWriterMetadata} and
 * {@link parseBackupComponentsDocument} (the XML documents, offline).
 * @document ../docs/backup.md
 * @document ../docs/restore.md
 * @document ../docs/errors.md
 * @document ../docs/simulator.md
 * @document ../docs/monitoring.md
 * @module
 */
export { listWriters, getWriterMetadata } from './writers.js';
export type { ListWritersOptions, GetWriterMetadataOptions } from './writers.js';
export { BackupSession } from './session.js';
export type { CallOptions, SessionOptions, BackupStateOptions, StepTiming, ExposeTarget } from './session.js';
export { setDefaultBackend, getDefaultBackend, getDefaultSimulator } from './backend.js';
export type { BackendOption } from './backend.js';
export { Simulator, createSimulator, builtInScenarios } from './simulator.js';
export type { Scenario, SimulatorOptions, SimulatorState } from './simulator.js';
export { VssError, VssWriterError, VssUnsupportedPlatformError, VssAddonLoadError, VssSessionError, VssRevertBlockedError, VssMountPointsError, VssMissingWritersError, VssJournalError, AbortError } from './errors.js';
export type { VssErrorOptions } from './errors.js';
export { hresultName, hresultMeaning, hresultValue, listHresults } from './hresults.js';
export * from './enums.js';
export type * from './types.js';
export type * from './metadata/types.js';
export { parseWriterMetadata, parseBackupComponentsDocument, VssXmlError, scenarioFromWriterMetadata } from './metadata/index.js';
export type { VssXmlErrorCode, VssXmlErrorLocation, ScenarioFromWriterMetadataOptions } from './metadata/index.js';
export {
  createSnapshotSet,
  withSnapshotSet,
  SnapshotSet,
  listShadowCopies,
  deleteShadowCopies,
  exposeShadowCopy,
  unexposeShadowCopy,
  getShadowCopy,
  revertToShadowCopy,
  listProviders,
  listShadowStorage,
  addShadowStorage,
  resizeShadowStorage,
  listShadowStorageVolumes,
  volumeProtection,
  deleteUnusedShadowStorage,
} from './snapshots.js';
export type {
  SnapshotSetOptions,
  CompleteOptions,
  WriterSelection,
  RetryPolicy,
  ManagementOptions,
  DeleteTarget,
  BackupReport,
  ReportComponent,
  WriterFailure,
  WithSnapshotSetOptions,
} from './snapshots.js';
export { isVolumeSnapshotted, shouldBlockRevert } from './volume-checks.js';
export { restore } from './restore.js';
export { breakShadowCopySet } from './break.js';
export type { BreakOptions } from './break.js';
export { importShadowCopySet } from './transport.js';
export type { ImportOptions, ImportedSet } from './transport.js';
export type { AlternateLocation, RestoreOptions, RestorePlan, RestoreResult } from './restore.js';
export type { VolumeCheckOptions } from './volume-checks.js';
export { planBackup, backupTypeEffects } from './plan.js';
export type { BackupPlan, PlanOptions, BackupTypeEffects } from './plan.js';
export { VssSelectionError } from './selection.js';
export type { ComponentSelection, SelectionEntry, PlannedWriter, PlannedComponent, WriterReason, ComponentReason } from './selection.js';
export { findOrphans, cleanupOrphans } from './orphans.js';
export type { Orphan, OrphanOptions, CleanupResult } from './orphans.js';
export type { JournalEntry } from './journal.js';
export { traceVssCalls } from './call-trace.js';
export type { VssCallTrace } from './call-trace.js';
export { diffWriterStatus } from './diff.js';
export { checkWriter, recordedScenario, WRITER_RULES, ABORT_PHASES } from './check-writer.js';
export type { CheckWriterOptions, CheckWriterReport, CheckStep, RuleResult, WriterObservation, AbortPhase, WriterRule } from './check-writer.js';
export { toJUnit } from './junit.js';
export type { WriterStatusChange } from './diff.js';
export { readVssEvents, followVssEvents, describeEvent, listEventCatalogue, EventLevels, DEFAULT_EVENT_CHANNELS } from './events.js';
export type { VssEvent, ReadVssEventsOptions, FollowVssEventsOptions, EventLevelName, EventCatalogueEntry } from './events.js';
export { checkHealth, formatNagios, formatPrometheus, formatPrometheusUnknown, HealthExitCodes } from './health.js';
export type { HealthOptions, HealthReport, HealthProblem, HealthProbe, HealthStatus, StorageUse, ProtectionState } from './health.js';
export { hostingServiceOf, listWriterServices, vssRelatedServices } from './services.js';
export type { VssRelatedService, WriterService } from './services.js';
export { isFailedWriter, restartFailedWriters, WritersBusyError } from './restart.js';
export type { VirtualMachineVerdict } from './vm-verdicts.js';
export type { RestartFailedWritersOptions, RestartReport, ServiceRestartOutcome, WriterAfterRestart } from './restart.js';
export { listVirtualMachines, virtualMachinesFrom, HYPERV_WRITER_ID } from './hyperv.js';
export type { VirtualMachine, VirtualMachineFile, VmBackupMethod, ListVirtualMachinesOptions } from './hyperv.js';
