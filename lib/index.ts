/**
 * vss-napi: the Windows Volume Shadow Copy Service from Node.js.
 *
 * - High level: {@link listWriters}, {@link getWriterMetadata}, and the snapshot calls.
 * - Low level: {@link BackupSession}, one method per `IVssBackupComponents` call.
 * - Off Windows: the simulation backend (`backend: 'simulated'` or {@link createSimulator}).
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
export { VssError, VssWriterError, VssUnsupportedPlatformError, VssSessionError, AbortError } from './errors.js';
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
} from './snapshots.js';
export type {
  SnapshotSetOptions,
  CompleteOptions,
  WriterSelection,
  RetryPolicy,
  ManagementOptions,
  DeleteTarget,
} from './snapshots.js';
export { traceVssCalls } from './call-trace.js';
export type { VssCallTrace } from './call-trace.js';
export { diffWriterStatus } from './diff.js';
export type { WriterStatusChange } from './diff.js';
