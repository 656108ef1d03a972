/** The text of one line of a file, read from its byte offset: for logs too big to open as documents. */
import { open } from 'node:fs/promises';

/** A line is shown, not studied: this much of it is read. */
const MAX_LINE_BYTES = 1024;

export async function lineAt(file: string, offset: number): Promise<string | undefined> {
  if (!(offset >= 0)) return undefined;
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(MAX_LINE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LINE_BYTES, offset);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    // Lines end at LF, CR or CRLF, as the line reader (src/core/lines.ts) and VS Code count them.
    const end = text.search(/[\r\n]/);
    return end >= 0 ? text.slice(0, end) : text;
  } finally {
    await handle.close();
  }
}
