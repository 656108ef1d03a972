/**
 * Reads DAP frames (`Content-Length: n\r\n\r\n` + n bytes of JSON) from a byte stream, and
 * survives bad ones: a body that is not JSON, an empty one, bytes that are not a header, or a
 * Content-Length that does not match the body are each skipped with one sentence, and reading
 * goes on with the next header. A raw CR LF cannot occur inside a JSON body (not in a string,
 * and `Content-Length` outside one is not JSON), so a header found inside a body that was said
 * to be longer marks a wrong Content-Length, not data.
 */

export type Frame = { message: unknown } | { problem: string };

const HEADER_END = '\r\n\r\n';
const LENGTH = /Content-Length: *(\d+) *$/im;
const NEXT_HEADER = /Content-Length: *\d+ *\r\n/i;
/** Bytes without a header end kept at most, and the largest body accepted: memory stays bounded. */
const MAX_HEADER = 64 * 1024;
const MAX_BODY = 256 * 1024 * 1024;

export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** The body length of the header just read; undefined while looking for a header. */
  private length?: number;
  /** How much of that body was already searched for a next header (a body may come in many chunks). */
  private searched = 0;

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Frame[] = [];
    for (;;) {
      const frame = this.length === undefined ? this.header() : this.body();
      if (frame === undefined) return out;
      if (frame !== null) out.push(frame);
    }
  }

  /** A frame (a problem), null when a header was read, undefined when more bytes are needed. */
  private header(): Frame | null | undefined {
    const end = this.buffer.indexOf(HEADER_END);
    if (end === -1) {
      if (this.buffer.length <= MAX_HEADER) return undefined;
      const skipped = this.buffer.length - 32;
      this.buffer = this.buffer.subarray(skipped);
      return { problem: `Skipped ${skipped} bytes without a DAP header.` };
    }
    // latin1: one character per byte, so string positions are byte positions.
    const header = this.buffer.toString('latin1', 0, end);
    this.buffer = this.buffer.subarray(end + HEADER_END.length);
    const match = LENGTH.exec(header);
    if (!match) return { problem: `Skipped ${end} bytes that are not a DAP header (no Content-Length).` };
    const length = Number(match[1]);
    if (length > MAX_BODY) return { problem: `Skipped a header whose Content-Length is over ${MAX_BODY} bytes, more than a DAP message may hold.` };
    this.length = length;
    this.searched = 0;
    const before = header.slice(0, match.index);
    if (!/^([\w-]+: [^\r\n]*\r\n)*$/.test(before)) return { problem: `Skipped ${before.length} bytes before a DAP header.` };
    return null;
  }

  private body(): Frame | undefined {
    const length = this.length as number;
    // Back a little, for a header cut between two chunks.
    const from = Math.max(0, this.searched - 32);
    this.searched = Math.min(length, this.buffer.length);
    const at = this.buffer.subarray(from, this.searched).toString('latin1').search(NEXT_HEADER);
    const next = at === -1 ? -1 : from + at;
    if (next !== -1) {
      this.length = undefined;
      this.buffer = this.buffer.subarray(next);
      return { problem: `Skipped a message whose Content-Length (${length}) runs past its ${next} bytes into the next message.` };
    }
    if (this.buffer.length < length) return undefined;
    const body = this.buffer.subarray(0, length).toString('utf8');
    this.buffer = this.buffer.subarray(length);
    this.length = undefined;
    if (body.trim() === '') return { problem: 'Skipped an empty message.' };
    try {
      return { message: JSON.parse(body) };
    } catch {
      return { problem: `Skipped a message that is not JSON (Content-Length ${length}).` };
    }
  }
}

/** A message as a DAP frame. */
export function frame(message: unknown): string {
  const json = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(json, 'utf8')}${HEADER_END}${json}`;
}
