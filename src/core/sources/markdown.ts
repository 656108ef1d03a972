/** docs/sources.md: every line format the ingest reads, printed from the tables themselves. */
import type { GroupFamily } from './group';
import { FAMILIES, GROUP_FAMILIES } from './index';
import type { Family } from './table';

/** A regex as a Markdown table cell: inline code, its `|` escaped. */
function code(re: RegExp): string {
  const text = re.source.replace(/\|/g, '\\|');
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function family(f: Family): string[] {
  return [`## ${f.name}`, '', `Prefix: ${code(f.prefix)}`, '', '| Row | Pattern after the prefix |', '| --- | --- |', ...f.rows.map((r) => `| ${r.id} | ${code(r.pattern)} |`), ''];
}

function group(f: GroupFamily): string[] {
  return [`## ${f.name} (record)`, '', '| Row | Role | Pattern |', '| --- | --- | --- |', ...f.rows.map((r) => `| ${r.id} | ${r.role} | ${code(r.pattern)} |`), ''];
}

export function sourcesMarkdown(): string {
  return [
    '# Sources',
    '',
    'Every line format Hotplug Lens reads, as the tables in `src/core/sources/` define them. A',
    'family recognises its lines by a prefix; each row then matches the rest of the message (what',
    'is left after the timestamp, syslog or QEMU envelope) and gives one event, whose `rule` is',
    "the row's DOMAIN.md id: a row for an older or newer wording (`V34-old`, `S4-posted`) gives",
    'the id of the row it is a wording of. Multi-line records (splats, dumps) follow, each row',
    "with its role: `start` and `head` open a record, `body` continues it, `end` closes it. The",
    'tests name, beside each line, the file and kernel or QEMU version that prints it.',
    '',
    'Printed by `sourcesMarkdown()` (`src/core/sources/markdown.ts`); a test keeps this file equal to it.',
    '',
    ...FAMILIES.flatMap(family),
    ...GROUP_FAMILIES.flatMap(group),
  ].join('\n');
}
