/** `hotplug-lens explain TERM`: a finding code or name, or a TDX status name or value, explained. */
import { catalogMarkdown, lookup } from '../../core/diagnose/lookup';
import { print } from '../output';
import { UsageError } from '../usage';

export async function runExplain(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === '--markdown') {
    print(catalogMarkdown());
    return 0;
  }
  const term = argv.join(' ').trim();
  if (term === '') throw new UsageError('explain needs a finding code (HPL001), its name, or a TDX status (TDX_EPT_ENTRY_STATE_INCORRECT, 0xc0000b0d00000001)');
  const found = lookup(term);
  if (!found) throw new UsageError(`nothing is known as '${term}'`);
  const see = found.codes.length > 0 ? `\n\nSee: ${found.codes.map((c) => `${c.code} ${c.name}`).join(', ')}` : '';
  print(`${found.title}\n\n${found.text}${see}\n`);
  return 0;
}
