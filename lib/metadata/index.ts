/**
 * Reading VSS XML documents, and building simulator scenarios from them.
 * @module
 */
export { parseWriterMetadata, parseBackupComponentsDocument } from './parse.js';
export { VssXmlError } from './errors.js';
export type { VssXmlErrorCode, VssXmlErrorLocation } from './errors.js';
export { scenarioFromWriterMetadata } from './scenario.js';
export type { ScenarioFromWriterMetadataOptions } from './scenario.js';
