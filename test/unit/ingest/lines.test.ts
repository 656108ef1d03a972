/** Examples of the line reader's edge cases (the properties are in lines.property.test.ts). */
import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_LINE_BYTES, type PhysicalLine, readLines } from '../../../src/core/ingest/lines';
import { chunk, collect, splitAll, utf8, yieldAll } from '../../helpers/bytes';

function texts(input: string | Uint8Array, options?: { maxLineBytes?: number }): string[] {
  return splitAll([typeof input === 'string' ? utf8(input) : input], options).map((l) => l.text);
}

describe('line reader', () => {
  it('reads nothing from empty input', async () => {
    assert.deepEqual(splitAll([]), []);
    assert.deepEqual(splitAll([new Uint8Array(0)]), []);
    assert.deepEqual(await collect(readLines(yieldAll([]))), []);
  });

  it('counts like wc -l plus a final unterminated line', () => {
    assert.deepEqual(texts('\n'), ['']);
    assert.deepEqual(texts('\n\n'), ['', '']);
    assert.deepEqual(texts('a'), ['a']);
    assert.deepEqual(texts('a\nb'), ['a', 'b']);
    assert.deepEqual(texts('a\nb\n'), ['a', 'b']);
  });

  it('takes LF, CRLF and a lone CR each as one break, as VS Code does', () => {
    assert.deepEqual(texts('a\r\nb\r\n'), ['a', 'b']);
    assert.deepEqual(texts('a\rb\n'), ['a', 'b']);
    assert.deepEqual(texts('a\rb\rc'), ['a', 'b', 'c']);
    assert.deepEqual(texts('a\r\r\n'), ['a', '']);
    assert.deepEqual(texts('a\n\rb'), ['a', '', 'b']);
    assert.deepEqual(texts('\r\n'), ['']);
    const lines = splitAll([utf8('ab\rcd\r\ne\rf')]);
    assert.deepEqual(
      lines.map((l) => [l.text, l.lineNo, l.offset, l.byteLength]),
      [
        ['ab', 1, 0, 2],
        ['cd', 2, 3, 2],
        ['e', 3, 7, 1],
        ['f', 4, 9, 1],
      ],
    );
  });

  it('ends the last line at a CR at the very end of the input', () => {
    const [line, ...rest] = splitAll([utf8('tdx: x\r')]);
    assert.deepEqual(line, { text: 'tdx: x', lineNo: 1, offset: 0, byteLength: 6, truncated: false });
    assert.deepEqual(rest, []);
    assert.deepEqual(texts('\r'), ['']);
    assert.deepEqual(texts('a\r\r'), ['a', '']);
  });

  it('takes a CR at the end of one chunk and an LF at the start of the next as one break', () => {
    const expected = [
      { text: 'a', lineNo: 1, offset: 0, byteLength: 1, truncated: false },
      { text: 'b', lineNo: 2, offset: 3, byteLength: 1, truncated: false },
    ];
    assert.deepEqual(splitAll([utf8('a\r'), utf8('\nb\n')]), expected);
    // Also with empty chunks between, a line left open before the CR, and the non-ASCII path.
    assert.deepEqual(splitAll([utf8('a\r'), new Uint8Array(0), utf8('\nb')]), expected);
    assert.deepEqual(splitAll([utf8('a'), utf8('\r'), utf8('\n'), utf8('b')]), expected);
    assert.deepEqual(splitAll([utf8('é\r'), utf8('\né\n')]).map((l) => [l.text, l.offset]), [['é', 0], ['é', 4]]);
    // A CR then anything else in the next chunk: two lines, the break is one byte.
    assert.deepEqual(splitAll([utf8('a\r'), utf8('b\n')]).map((l) => [l.text, l.offset]), [['a', 0], ['b', 2]]);
    assert.deepEqual(splitAll([utf8('a\r'), utf8('\rb')]).map((l) => [l.text, l.offset]), [['a', 0], ['', 2], ['b', 3]]);
  });

  it('keeps NUL bytes and replaces invalid UTF-8', () => {
    assert.deepEqual(texts(new Uint8Array([0x61, 0x00, 0x62, 0x0a])), ['a\0b']);
    assert.deepEqual(texts(new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xc3])), ['a\ufffdb', '\ufffd']);
  });

  it('reads a last line without a line break', () => {
    const lines = splitAll(chunk(utf8('[ 1.0] virtio_mem virtio5: plugged size: 0x0\n[ 2.0] tdx: Failed to accept'), [7]));
    assert.equal(lines.length, 2);
    assert.deepEqual(lines[1], { text: '[ 2.0] tdx: Failed to accept', lineNo: 2, offset: 45, byteLength: 28, truncated: false });
  });

  it('does not count the CR of a CRLF against the line bound', () => {
    const [line] = splitAll(chunk(utf8('abcd\r\n'), [1]), { maxLineBytes: 4 });
    assert.deepEqual(line, { text: 'abcd', lineNo: 1, offset: 0, byteLength: 4, truncated: false });
    const [cut] = splitAll([utf8('abcdef\r\n')], { maxLineBytes: 4 });
    assert.deepEqual(cut, { text: 'abcd', lineNo: 1, offset: 0, byteLength: 6, truncated: true });
  });

  it('cuts an over-long line before a character it would split', () => {
    const [line] = splitAll([utf8('ab€cd\n')], { maxLineBytes: 3 });
    assert.deepEqual(line, { text: 'ab', lineNo: 1, offset: 0, byteLength: 7, truncated: true });
  });

  it('reads a 5 MB line in bounded form and the lines after it exactly', async function () {
    this.timeout(20000);
    const prefix = '[ 1.000000] virtio_mem virtio5: ';
    const huge = prefix + 'x'.repeat(5 * 1024 * 1024);
    const after = '[ 5707.392231] virtio_mem virtio5: plugged size: 0x80000000';
    const bytes = utf8(`${huge}\r\n${after}\n`);
    const chunks = chunk(bytes, [65537]);

    const lines: PhysicalLine[] = await collect(readLines(yieldAll(chunks)));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].truncated, true);
    assert.equal(lines[0].byteLength, huge.length);
    assert.equal(lines[0].text.length, DEFAULT_MAX_LINE_BYTES);
    assert.ok(huge.startsWith(lines[0].text));
    assert.deepEqual(lines[1], { text: after, lineNo: 2, offset: huge.length + 2, byteLength: after.length, truncated: false });

    const whole = splitAll(chunks, { maxLineBytes: 8 * 1024 * 1024 });
    assert.equal(whole[0].truncated, false);
    assert.equal(whole[0].text, huge);
    assert.deepEqual(whole[1], lines[1]);
  });
});
