/**
 * Debug logging: `NODE_DEBUG=vss` prints each VSS call, its HRESULT name and duration.
 * Never file content.
 * @internal
 * @module
 */
import { debuglog } from 'node:util';

export const debug = debuglog('vss');
