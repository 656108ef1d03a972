/** The language of a log on disk from its first lines, without loading the file (logs over 50 MB). */
import { open } from 'node:fs/promises';
import { detectLanguage, type LanguageRule } from './detect-language';

const HEAD_BYTES = 8192;

export async function sniffLanguage(file: string, rules: readonly LanguageRule[]): Promise<string | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
      return detectLanguage(head.subarray(0, bytesRead).toString('utf8').split(/\r\n|\r|\n/), rules);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
