/** The line shown at a byte offset (logs too big to open as documents) is the line the reader numbered there. */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { lineAt } from '../../../src/node/line-at';
import { splitAll, utf8 } from '../../helpers/bytes';
import { makeTempDir } from '../../helpers/tmp';

describe('lineAt', () => {
  it('ends a line at LF, CRLF or a lone CR, as the line reader does', async () => {
    const tmp = makeTempDir();
    try {
      const bytes = utf8('[ 1.0] virtio_mem virtio5: a\r[ 2.0] tdx: b\r\n\r\nc é\nlast\r');
      writeFileSync(tmp.file('log'), bytes);
      const lines = splitAll([bytes]);
      assert.deepEqual(
        lines.map((l) => l.text),
        ['[ 1.0] virtio_mem virtio5: a', '[ 2.0] tdx: b', '', 'c é', 'last'],
      );
      for (const line of lines) assert.equal(await lineAt(tmp.file('log'), line.offset), line.text, `line ${line.lineNo}`);
    } finally {
      tmp.cleanup();
    }
  });
});
