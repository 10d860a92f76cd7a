// For security.test.ts: a backup of a content-backed simulated volume whose files
// hold argv[3] (a marker), run with NODE_DEBUG=vss; the parent checks that the
// marker never reaches stdout or stderr. argv[2]: the folder backing C:\.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vss = await import(join(root, 'dist', 'index.js'));
const [volume, marker] = process.argv.slice(2);

const sim = vss.createSimulator({ timing: { timeScale: 0 }, volumes: [{ name: 'C:\\', path: volume }] });
await vss.listWriters({ backend: sim });
await vss.getWriterMetadata({ backend: sim });
const set = await vss.createSnapshotSet(['C:\\'], { backend: sim, persistent: true });
const copy = readFileSync(set.pathFor('C:\\secret\\payroll.txt'), 'utf8');
if (!copy.includes(marker)) throw new Error('the shadow copy does not hold the file');
await set.complete({ succeeded: true });
await vss.listShadowCopies({ backend: sim });
await vss.deleteShadowCopies({ setId: set.setId }, { backend: sim });
sim.configure({ faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch((e) => console.error(`expected failure: ${e.message}`));
console.log(`read ${copy.length} characters from the shadow copy`);
