/** Examples of the line reader's edge cases (the properties are in lines.property.test.ts). */
import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_LINE_BYTES, type PhysicalLine, readLines } from '../../src/core/lines';
import { chunk, collect, splitAll, utf8, yieldAll } from '../helpers/bytes';

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

  it('takes CRLF as one break and keeps other CRs as text', () => {
    assert.deepEqual(texts('a\r\nb\r\n'), ['a', 'b']);
    assert.deepEqual(texts('a\rb\n'), ['a\rb']);
    assert.deepEqual(texts('a\r\r\n'), ['a\r']);
    assert.deepEqual(texts('\r\n'), ['']);
  });

  it('keeps a CR at the very end of the input: no LF follows it', () => {
    const [line] = splitAll([utf8('tdx: x\r')]);
    assert.equal(line.text, 'tdx: x\r');
    assert.equal(line.byteLength, 7);
    assert.deepEqual(texts('\r'), ['\r']);
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
