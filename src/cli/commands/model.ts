/** `hotplug-lens model --markdown`: the transition table, printed from the table the engine runs. */
import { COMPONENT_NAMES, COMPONENTS, type TuplePattern, type TupleUpdate } from '../../core/model/state';
import { TRANSITIONS } from '../../core/model/transitions';
import { parseCommandLine } from '../args';
import { print } from '../output';
import { UsageError } from '../usage';

function pattern(p: TuplePattern | TupleUpdate): string {
  const parts = COMPONENT_NAMES.filter((c) => p[c] !== undefined).map((c) => {
    const v = p[c] as string | readonly string[];
    return `${c}=${typeof v === 'string' ? v : v.join('|')}`;
  });
  return parts.length > 0 ? parts.join(', ') : 'any';
}

export function modelMarkdown(): string {
  const out: string[] = [];
  out.push('# Hotplug Lens reference model', '');
  out.push('State of one subblock (each component may also be `unknown`):', '');
  out.push('| component | values |', '| --- | --- |');
  for (const c of COMPONENT_NAMES) out.push(`| ${c} | ${COMPONENTS[c].filter((v) => v !== 'unknown').join(', ')} |`);
  out.push('', 'Transitions: for each action on a range of subblocks, the first row whose state pattern and guard hold applies.', '');
  out.push('| # | row | action | from | guard | to | emits | why |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  TRANSITIONS.forEach((row, i) => {
    const to = pattern(row.to);
    out.push(
      `| ${i + 1} | ${row.id} | ${row.on} | ${pattern(row.from)} | ${row.guard?.text ?? ''} | ${to === 'any' ? 'unchanged' : to} | ${row.emits ?? ''} | ${row.note.replace(/\|/g, '\\|')} |`,
    );
  });
  return `${out.join('\n')}\n`;
}

export async function runModel(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { markdown: { type: 'boolean', default: false } });
  if (!values.markdown || positionals.length > 0) throw new UsageError('model needs --markdown (the only output it has)');
  print(modelMarkdown());
  return 0;
}
