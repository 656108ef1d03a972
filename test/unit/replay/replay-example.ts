/** The bundled example the replay tests walk: guest.log and qemu.log of a failed TDX re-plug. */
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
export const EXAMPLE_DIR = join(ROOT, 'examples', 'tdx-replug-failure');
export const EXAMPLE_LOGS = ['guest.log', 'qemu.log'].map((f) => join(EXAMPLE_DIR, f));
