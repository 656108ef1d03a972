/**
 * dump_page() output (mm/debug.c), and the offlining failures it follows as one record: M8
 * `migrating pfn %lx failed ret:%d` and M9 `failed to isolate pfn %lx` (mm/memory_hotplug.c
 * do_migrate_range()), then `page:… refcount:… mapcount:…`, `flags: …`, `raw: …`, and
 * `page dumped because: migration failure` (or `isolation failed`).
 */
import type { GroupFamily, GroupRow } from './group';
import { hex } from './table';

/**
 * The lines dump_page() prints, v5.8 to today: `page:%p refcount:%d mapcount:%d mapping:%p
 * index:%#lx pfn:%#lx` (__dump_page(); __dump_folio() prints `page: refcount:…`, and with
 * device-private folios `… index:0x0 device pfn:…`), `head:…` for compound pages and large
 * folios, `%sflags: …` (`anon flags:`, `ksm flags:`), `page_type:`, `raw:`/`head:` hex words,
 * `memcg:`, `aops:…`, and `page:%px is uninitialized and poisoned`. Shared with kernel splats,
 * whose VM_BUG_ON_PAGE reports carry the same lines.
 */
export const PAGE_DUMP_ROWS: GroupRow[] = [
  {
    id: 'page',
    role: 'body',
    pattern: /^page:\S*\s*refcount:(-?\d+) mapcount:(-?\d+)(?: .*)?$/,
    collect: (m, r) => {
      r.fields.refcount = m[1];
      r.fields.mapcount = m[2];
    },
  },
  {
    id: 'flags',
    role: 'body',
    pattern: /^(?:\w+ )?flags: (0x[0-9a-fA-F]+(?:\([^)]*\))?)(?: CMA)?\s*$/,
    collect: (m, r) => {
      r.fields.flags = m[1];
    },
  },
  { id: 'page-other', role: 'body', pattern: /^(?:page|head|page_type|raw|memcg|mapping|aops|pages's memcg|\w+ flags|flags):.*$/ },
];

export const pageFailure: GroupFamily = {
  name: 'page migration failure',
  takesMessage: false,
  // The head, a dump of at most eight lines, and its `page dumped because:`.
  maxLines: 12,
  rows: [
    {
      // v5.8–v6.x printed it without a newline (`ret:%d `): the trailing blank is read past.
      id: 'M8',
      role: 'start',
      pattern: /^migrating pfn ([0-9a-fA-F]+) failed ret:(-?\d+)\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { step: 'migrate', pfn: m[1], ret: m[2] });
      },
    },
    {
      id: 'M9',
      role: 'start',
      pattern: /^failed to isolate pfn ([0-9a-fA-F]+)\s*$/,
      collect: (m, r) => {
        Object.assign(r.fields, { step: 'isolate', pfn: m[1] });
      },
    },
    ...PAGE_DUMP_ROWS,
    {
      id: 'dumped-because',
      role: 'end',
      pattern: /^page dumped because: (migration failure|isolation failed)\s*$/,
      collect: (m, r) => {
        r.fields.reason = m[1];
      },
    },
  ],
  build: (r) => {
    const f = r.fields;
    return {
      kind: 'mm.pageFailed',
      rule: r.openedBy,
      step: f.step === 'isolate' ? 'isolate' : 'migrate',
      pfn: hex(f.pfn),
      ...(f.ret !== undefined ? { ret: Number(f.ret) } : {}),
      ...(f.refcount !== undefined ? { refcount: Number(f.refcount) } : {}),
      ...(f.mapcount !== undefined ? { mapcount: Number(f.mapcount) } : {}),
      ...(f.flags !== undefined ? { flags: f.flags } : {}),
      ...(f.reason !== undefined ? { reason: f.reason } : {}),
    };
  },
};
