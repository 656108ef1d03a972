/**
 * The two TextMate grammars of package.json `contributes.grammars` (syntaxes/*.tmLanguage.json),
 * run with the engine VS Code uses (vscode-textmate + vscode-oniguruma): real lines from the
 * fixtures get the scopes a theme colours, every fixture line tokenizes quickly and closes every
 * rule it opens, long hostile lines stay linear, and the languages' `firstLine` patterns pick the
 * right language for the fixtures' first lines and leave other text alone.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

/** The repository root: this file runs as out/test/unit/grammar.test.js. */
const ROOT = join(__dirname, '..', '..', '..', '..');

const KERNEL = 'text.log.hotplug.kernel';
const QEMU = 'text.log.hotplug.qemu';

interface LanguageContribution {
  id: string;
  firstLine?: string;
  extensions?: string[];
  filenamePatterns?: string[];
}
interface GrammarContribution {
  language: string;
  scopeName: string;
  path: string;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { languages: LanguageContribution[]; grammars?: GrammarContribution[] };
};

// ---- Engine ----

let onigLib: Promise<vsctm.IOnigLib> | undefined;
/** vscode-oniguruma's WASM can be loaded once per process. */
function onig(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm);
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

async function loadGrammars(): Promise<Record<string, vsctm.IGrammar>> {
  const byScope = new Map((manifest.contributes.grammars ?? []).map((g) => [g.scopeName, join(ROOT, g.path)]));
  const registry = new vsctm.Registry({
    onigLib: onig(),
    loadGrammar: async (scopeName) => {
      const file = byScope.get(scopeName);
      return file === undefined ? null : vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
  });
  const out: Record<string, vsctm.IGrammar> = {};
  for (const scope of [KERNEL, QEMU]) {
    const grammar = await registry.loadGrammar(scope);
    assert.ok(grammar, `grammar ${scope} did not load`);
    out[scope] = grammar;
  }
  return out;
}

interface Token {
  text: string;
  scopes: string[];
}

function tokenize(grammar: vsctm.IGrammar, line: string): Token[] {
  const { tokens } = grammar.tokenizeLine(line, vsctm.INITIAL);
  return tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

/** The scopes of the `nth` token whose text is exactly `text`. */
function scopesOf(tokens: Token[], text: string, nth = 0): string[] {
  const hits = tokens.filter((t) => t.text === text);
  assert.ok(hits.length > nth, `no token ${JSON.stringify(text)} (#${nth}) in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return hits[nth].scopes;
}

/** Each [text, scope] pair: the token with exactly that text carries that scope. */
function expectScopes(tokens: Token[], expected: Array<[string, string, number?]>): void {
  for (const [text, scope, nth] of expected) {
    const scopes = scopesOf(tokens, text, nth);
    assert.ok(scopes.includes(scope), `${JSON.stringify(text)}: expected ${scope}, got ${scopes.join(' ')}`);
  }
}

/** A token with that text carries no scope beyond the grammar's own. */
function expectPlain(tokens: Token[], text: string): void {
  for (const t of tokens.filter((tok) => tok.text.includes(text))) {
    assert.equal(t.scopes.length, 1, `${JSON.stringify(t.text)} should be plain, got ${t.scopes.join(' ')}`);
  }
}

// ---- Fixtures ----

function logFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...logFilesUnder(path));
    else if (name.endsWith('.log')) out.push(path);
  }
  return out;
}
const FIXTURES = [...logFilesUnder(join(ROOT, 'test/fixtures')), ...logFilesUnder(join(ROOT, 'examples/tdx-replug-failure'))];
const linesOf = (file: string): string[] => readFileSync(file, 'utf8').split(/\r?\n/);
const isQemuFile = (file: string): boolean => basename(file).startsWith('qemu');

/** The first line of `file` (relative to the repository) that contains `needle`. */
function fixtureLine(file: string, needle: string): string {
  const line = linesOf(join(ROOT, file)).find((l) => l.includes(needle));
  assert.ok(line !== undefined, `${file} has no line with ${JSON.stringify(needle)}`);
  return line;
}

describe('TextMate grammars', () => {
  let grammars: Record<string, vsctm.IGrammar>;
  before(async () => {
    grammars = await loadGrammars();
  });
  const kernel = (line: string): Token[] => tokenize(grammars[KERNEL], line);
  const qemu = (line: string): Token[] => tokenize(grammars[QEMU], line);

  describe('package.json', () => {
    it('contributes one grammar per language, with the scope name its file declares', () => {
      const grammarsByLanguage = new Map((manifest.contributes.grammars ?? []).map((g) => [g.language, g]));
      const expected: Array<[string, string, string]> = [
        ['hotplug-kernel-log', KERNEL, './syntaxes/hotplug-kernel-log.tmLanguage.json'],
        ['hotplug-qemu-log', QEMU, './syntaxes/hotplug-qemu-log.tmLanguage.json'],
      ];
      for (const [language, scopeName, path] of expected) {
        assert.ok(manifest.contributes.languages.some((l) => l.id === language), `language ${language} not declared`);
        assert.deepEqual(grammarsByLanguage.get(language), { language, scopeName, path });
        const raw = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { scopeName: string };
        assert.equal(raw.scopeName, scopeName);
      }
    });
  });

  describe('kernel log (guest and host dmesg)', () => {
    it('colours a virtio-mem size line: timestamp, driver, device, size', () => {
      const line = fixtureLine('examples/tdx-replug-failure/guest.log', 'virtio_mem virtio5: plugged size: 0x80000000');
      expectScopes(kernel(line), [
        ['[ 5707.392231]', 'comment.line.timestamp.dmesg.hotplug'],
        ['virtio_mem', 'support.type.driver.hotplug'],
        ['virtio5', 'entity.name.tag.device.hotplug'],
        ['plugged size', 'variable.other.property.hotplug'],
        ['0x80000000', 'constant.numeric.hex.size.hotplug'],
      ]);
    });

    it('colours a failed TDX accept: module prefix, error word, half-open address range', () => {
      const tokens = kernel(fixtureLine('examples/tdx-replug-failure/guest.log', 'tdx: Failed to accept memory [0x108000000, 0x110000000)'));
      expectScopes(tokens, [
        ['[ 5714.676296]', 'comment.line.timestamp.dmesg.hotplug'],
        ['tdx', 'support.type.module.hotplug'],
        ['Failed', 'invalid.illegal.error.hotplug'],
        ['0x108000000', 'constant.numeric.hex.address.hotplug'],
        ['0x108000000', 'meta.range.hotplug'],
        ['0x110000000', 'constant.numeric.hex.address.hotplug'],
        [')', 'punctuation.definition.range.end.hotplug'],
      ]);
      expectPlain(tokens, 'to accept memory');
    });

    it('colours a host SEAMCALL failure: caller id, status code apart from the operands', () => {
      const line = fixtureLine('test/fixtures/scenarios/F16-host-seamcall-remove/host.log', 'kvm_intel: SEAMCALL');
      expectScopes(kernel(line), [
        ['[90300.000314]', 'comment.line.timestamp.dmesg.hotplug'],
        ['[ T4321]', 'comment.line.caller-id.hotplug'],
        ['kvm_intel', 'support.type.module.hotplug'],
        ['SEAMCALL', 'keyword.other.instruction.hotplug'],
        ['TDH_MEM_PAGE_REMOVE', 'support.function.tdx.hotplug'],
        ['failed', 'invalid.illegal.error.hotplug'],
        ['0xc0000b0d00000001', 'invalid.illegal.status.tdx.hotplug'],
        ['rcx', 'variable.other.register.hotplug'],
        ['0x8000000107e00007', 'constant.numeric.hex.register.hotplug'],
      ]);
      // The K3 form of DOMAIN.md §1.8 for AUG, and a status name (synthesized: no fixture prints one).
      expectScopes(kernel('[  812.000001] kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, rcx 0x108000000, rdx 0x0'), [
        ['TDH_MEM_PAGE_AUG', 'support.function.tdx.hotplug'],
        ['0xc0000b0d00000001', 'invalid.illegal.status.tdx.hotplug'],
        ['0x108000000', 'constant.numeric.hex.register.hotplug'],
      ]);
      expectScopes(kernel('AUG returned TDX_EPT_ENTRY_STATE_INCORRECT; ACCEPT returned TDX_PAGE_ALREADY_ACCEPTED, not TDX_SUCCESS'), [
        ['TDX_EPT_ENTRY_STATE_INCORRECT', 'invalid.illegal.status.tdx.hotplug'],
        ['TDX_PAGE_ALREADY_ACCEPTED', 'invalid.illegal.status.tdx.hotplug'],
        ['TDX_SUCCESS', 'constant.language.status.tdx.hotplug'],
      ]);
    });

    it('colours a WARNING splat: markers, WARNING:, file:line, function+offset, module', () => {
      const file = 'test/fixtures/scenarios/F14-plugged-size-mismatch/guest.log';
      expectScopes(kernel(fixtureLine(file, 'cut here')), [['------------[ cut here ]------------', 'keyword.other.splat.cut-here.hotplug']]);
      expectScopes(kernel(fixtureLine(file, 'WARNING:')), [
        ['[   T71]', 'comment.line.caller-id.hotplug'],
        ['WARNING:', 'invalid.illegal.warning.hotplug'],
        ['drivers/virtio/virtio_mem.c', 'string.unquoted.path.hotplug'],
        ['2553', 'constant.numeric.line.hotplug'],
        ['virtio_mem_refresh_config', 'entity.name.function.hotplug'],
        ['+0x130/0x140', 'constant.numeric.hex.offset.hotplug'],
        ['virtio_mem', 'support.type.module.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine(file, 'Call Trace:')), [['Call Trace:', 'keyword.other.splat.hotplug']]);
      expectScopes(kernel(fixtureLine(file, 'end trace')), [
        ['---[ end trace ', 'keyword.other.splat.end-trace.hotplug'],
        ['0000000000000000', 'constant.numeric.hex.hotplug'],
      ]);
    });

    it('colours panics, errnos, leaks and a broken device', () => {
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F02-debug-td-ept-violation/guest.log', 'Kernel panic - not syncing: Unexpected')), [
        ['Kernel panic - not syncing', 'invalid.illegal.panic.hotplug'],
        ['Unexpected', 'invalid.illegal.error.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F18-release-failure/guest.log', 'marking device broken')), [
        ['error', 'invalid.illegal.error.hotplug'],
        ['broken', 'invalid.illegal.error.hotplug'],
        ['-22', 'invalid.illegal.errno.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F08-reaccept-fails-leak/guest.log', 'leaking memory')), [
        ['failed', 'invalid.illegal.error.hotplug'],
        ['leaking', 'invalid.illegal.error.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F08-reaccept-fails-leak/guest.log', 'CPA VMM failure')), [
        ['failure', 'invalid.illegal.error.hotplug'],
        ['addr', 'variable.other.key.hotplug'],
        ['00000000e41c09a3', 'constant.numeric.hex.pointer.hotplug'],
        ['512', 'constant.numeric.decimal.hotplug'],
        ['-5', 'invalid.illegal.errno.hotplug'],
      ]);
    });

    it('colours every prefix form: syslog, dmesg -T, dmesg -r, dmesg -x, ISO', () => {
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F08-reaccept-fails-leak/guest.log', 'unplugging memory failed: -26')), [
        ['May  2 13:21:40', 'comment.line.timestamp.syslog.hotplug'],
        ['td-guest', 'comment.line.hostname.hotplug'],
        ['kernel', 'comment.line.program.hotplug'],
        ['[ 1300.000180]', 'comment.line.timestamp.dmesg.hotplug'],
        ['unplugging memory', 'keyword.other.operation.hotplug'],
        ['failed', 'invalid.illegal.error.hotplug'],
        ['-26', 'invalid.illegal.errno.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F03-old-vmm-notifier-replug/guest.log', 'tdx: Failed to accept memory')), [
        ['[Tue Mar 24 16:21:47 2026]', 'comment.line.timestamp.ctime.hotplug'],
        ['tdx', 'support.type.module.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F11-plug-nack-race/guest.log', 'plugging memory: ')), [
        ['plugging memory', 'keyword.other.operation.hotplug'],
        ['0x110000000', 'constant.numeric.hex.address.hotplug'],
        [' - ', 'meta.range.hotplug'],
        ['0x117ffffff', 'constant.numeric.hex.address.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F07-unplug-busy-migration/guest.log', '<7>')), [
        ['<7>', 'comment.line.priority.hotplug'],
        ['[ 1300.000100]', 'comment.line.timestamp.dmesg.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F12-plug-busy-migration/guest.log', 'kern  :err   :')), [
        ['kern', 'comment.line.facility.hotplug'],
        ['err', 'invalid.illegal.level.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F12-plug-busy-migration/guest.log', 'kern  :info  :')), [['info', 'comment.line.level.hotplug']]);
      expectScopes(kernel('2024-11-29T04:55:29,392231+01:00 virtio_mem virtio5: plugged size: 0x0'), [
        ['2024-11-29T04:55:29,392231+01:00', 'comment.line.timestamp.iso8601.hotplug'],
        ['virtio5', 'entity.name.tag.device.hotplug'],
      ]);
      expectScopes(kernel(fixtureLine('test/fixtures/scenarios/F06-admin-offline-online/guest.log', 'online_pages [mem')), [
        ['[mem ', 'punctuation.definition.range.begin.hotplug'],
        ['0x10fffffff', 'constant.numeric.hex.address.hotplug'],
        ['failed', 'invalid.illegal.error.hotplug'],
      ]);
    });

    it('leaves ordinary words and in-word matches alone', () => {
      const tokens = kernel('[ 1800.000096][   T71]  ? exc_invalid_op+0x17/0x80 KVM_BUG_ON errorless unfailed');
      expectScopes(tokens, [['exc_invalid_op', 'entity.name.function.hotplug']]);
      for (const word of ['KVM_BUG_ON', 'errorless', 'unfailed']) expectPlain(tokens, word);
      expectPlain(kernel("[ 1.0] host doesn't support it, can't say"), "doesn't");
    });
  });

  describe('QEMU log (trace events and error reports)', () => {
    it('colours a tid@sec.usec trace line: prefix, event name, key=value arguments', () => {
      const line = fixtureLine('examples/tdx-replug-failure/qemu.log', '4321@1774365612.803412:virtio_mem_plug_request');
      expectScopes(qemu(line), [
        ['4321@1774365612.803412:', 'comment.line.timestamp.trace.hotplug'],
        ['virtio_mem_plug_request', 'entity.name.function.trace-event.hotplug'],
        ['addr', 'variable.other.argument.hotplug'],
        ['0x100000000', 'constant.numeric.hex.address.hotplug'],
        ['nb_blocks', 'variable.other.argument.hotplug'],
        ['64', 'constant.numeric.decimal.hotplug'],
      ]);
    });

    it('colours an ISO-8601 trace line: discard of a RAM block', () => {
      const line = fixtureLine('test/fixtures/scenarios/F05-fixed-vmm-clean-replug/qemu.log', 'ram_block_discard_shared_range');
      expectScopes(qemu(line), [
        ['2026-05-02T10:15:00.000247Z', 'comment.line.timestamp.iso8601.hotplug'],
        ['ram_block_discard_shared_range', 'entity.name.function.trace-event.hotplug'],
        ['ram_block_discard_shared_range', 'meta.trace-event.hotplug'],
        ['vmem0', 'entity.name.tag.ram-block.hotplug'],
        ['0x7f5a50000000', 'constant.numeric.hex.address.hotplug'],
        ['0x8000000', 'constant.numeric.hex.size.hotplug'],
        ['madvise', 'variable.other.argument.hotplug'],
      ]);
      expectScopes(qemu('ram_block_discard_range vmem0@0x7f5a50000000 + 0x8000000: madvise: 1 fallocate: 0 ret: -22'), [
        ['ram_block_discard_range', 'entity.name.function.trace-event.hotplug'],
        ['-22', 'invalid.illegal.errno.hotplug'],
      ]);
    });

    it('colours a conversion: kvm_convert_memory … shared_to_private and its MapGPA', () => {
      const file = 'test/fixtures/scenarios/F06-admin-offline-online/qemu.log';
      expectScopes(qemu(fixtureLine(file, 'kvm_convert_memory start 0x108000000 size 0x200000 shared_to_private')), [
        ['kvm_convert_memory', 'entity.name.function.trace-event.hotplug'],
        ['start', 'variable.other.argument.hotplug'],
        ['0x108000000', 'constant.numeric.hex.address.hotplug'],
        ['size', 'variable.other.argument.hotplug'],
        ['0x200000', 'constant.numeric.hex.size.hotplug'],
        ['shared_to_private', 'keyword.other.conversion.to-private.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine(file, 'kvm_hc_map_gpa_range gpa 0x108000000')), [
        ['kvm_hc_map_gpa_range', 'entity.name.function.trace-event.hotplug'],
        ['gpa', 'variable.other.argument.hotplug'],
        ['attributes', 'variable.other.argument.hotplug'],
        ['0x10', 'constant.numeric.hex.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F07-unplug-busy-migration/qemu.log', 'private_to_shared')), [
        ['private_to_shared', 'keyword.other.conversion.to-shared.hotplug'],
      ]);
    });

    it('colours responses, the unseparated resize fields, state strings and bare trace lines', () => {
      const f10 = 'test/fixtures/scenarios/F10-double-plug-error/qemu.log';
      expectScopes(qemu(fixtureLine(f10, 'virtio_mem_send_response type=3')), [
        ['virtio_mem_send_response', 'entity.name.function.trace-event.hotplug'],
        ['3', 'invalid.illegal.response.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F04-coco-rfc-stale-private/qemu.log', 'virtio_mem_send_response type=0')), [
        ['0', 'constant.numeric.decimal.response.ack.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine(f10, 'old_size=0x18000000new_size=0x20000000')), [
        ['old_size', 'variable.other.argument.hotplug'],
        ['0x18000000', 'constant.numeric.hex.size.hotplug'],
        ['new_size', 'variable.other.argument.hotplug'],
        ['0x20000000', 'constant.numeric.hex.size.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F05-fixed-vmm-clean-replug/qemu.log', 'ram_block_attributes_state_change')), [
        ["'populated'", 'string.quoted.single.hotplug'],
        ["'discarded'", 'string.quoted.single.hotplug'],
      ]);
      const bare = qemu(fixtureLine('test/fixtures/scenarios/F04-coco-rfc-stale-private/qemu.log', 'virtio_mem_unplug_request addr=0x108000000'));
      assert.deepEqual(bare[0].scopes, [QEMU, 'meta.trace-event.hotplug', 'entity.name.function.trace-event.hotplug']);
    });

    it('colours error_report/warn_report lines, KVM run failures and the monitor', () => {
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F01-mainline-no-accept/qemu.log', 'qemu-system-x86_64: warning:')), [
        ['2026-05-02T09:56:31.204817Z', 'comment.line.timestamp.iso8601.hotplug'],
        ['qemu-system-x86_64', 'support.type.program.hotplug'],
        ['warning', 'keyword.other.severity.warning.hotplug'],
      ]);
      const ke2 = qemu(fixtureLine('test/fixtures/scenarios/F09-convert-non-gmem/qemu.log', 'Convert non guest_memfd'));
      expectScopes(ke2, [
        ['td-guest1', 'entity.name.tag.guest.hotplug'],
        ['qemu-system-x86_64', 'support.type.program.hotplug'],
        ['0x100000000', 'constant.numeric.hex.address.hotplug'],
        ['0x200000', 'constant.numeric.hex.size.hotplug'],
      ]);
      expectPlain(ke2, 'guest_memfd');
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F15-touch-after-discard/qemu.log', 'error: kvm run failed')), [
        ['error', 'invalid.illegal.error.hotplug', 0],
        ['failed', 'invalid.illegal.error.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F15-touch-after-discard/qemu.log', 'RIP=')), [
        ['RIP', 'variable.other.register.hotplug'],
        ['ffffffff81f7e7d7', 'constant.numeric.hex.register.hotplug'],
      ]);
      expectScopes(qemu(fixtureLine('test/fixtures/scenarios/F10-double-plug-error/qemu.log', '(qemu) qom-set')), [
        ['(qemu)', 'comment.line.prompt.hotplug'],
        ['qom-set', 'support.function.monitor-command.hotplug'],
      ]);
      // A line with a trace prefix but no event name is still dated.
      expectScopes(qemu('2026-05-02T10:00:00.000000Z TDX guest reports fatal error: "boom"'), [
        ['2026-05-02T10:00:00.000000Z', 'comment.line.timestamp.iso8601.hotplug'],
        ['error', 'invalid.illegal.error.hotplug'],
        ['"boom"', 'string.quoted.double.hotplug'],
      ]);
    });
  });

  describe('speed and shape on real and hostile input', () => {
    it('tokenizes every fixture line with both grammars quickly and closes every rule at the end of each line', () => {
      const lines = FIXTURES.flatMap(linesOf);
      assert.ok(lines.length > 1000, `only ${lines.length} fixture lines`);
      const started = process.hrtime.bigint();
      for (const scope of [KERNEL, QEMU]) {
        let state = vsctm.INITIAL;
        for (const line of lines) {
          const result = grammars[scope].tokenizeLine(line, state);
          assert.equal(result.ruleStack.depth, 1, `${scope} left a rule open after ${JSON.stringify(line)}`);
          const last = result.tokens[result.tokens.length - 1];
          assert.ok(last.endIndex >= line.length, `${scope} did not cover ${JSON.stringify(line)}`);
          state = result.ruleStack;
        }
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 3000, `${lines.length} lines × 2 grammars took ${ms.toFixed(0)} ms`);
    });

    it('stays linear on long hostile lines (no catastrophic backtracking)', () => {
      const n = 20000; // VS Code's default editor.maxTokenizationLineLength
      const hostile: Record<string, string> = {
        dashes: '-'.repeat(n),
        brackets: '['.repeat(n),
        quotes: "'".repeat(n),
        'word-quote': "a'".repeat(n / 2),
        'double-quotes': '"'.repeat(n),
        word: 'a'.repeat(n),
        'path-chain': 'a/'.repeat(n / 2),
        'key-eq': 'a='.repeat(n / 2),
        '0x': '0x'.repeat(n / 2),
        'long-hex': '0x' + 'f'.repeat(n),
        digits: '1'.repeat(n),
        'open-timestamps': '[ 1.1'.repeat(n / 5),
        'open-ctime': '[Mon Jan 1'.repeat(n / 10),
        'driver-no-colon': 'a virtio1 '.repeat(n / 10),
        'function-no-size': 'f+0x1/'.repeat(n / 6),
        'tid-fragments': '1@1.1'.repeat(n / 5),
        'iso-repeated': '2026-05-02T10:15:00.000247Z'.repeat(n / 27),
        underscores: 'a_'.repeat(n / 2),
        'at-signs': 'a@'.repeat(n / 2),
        'open-ranges': '[0x1, '.repeat(n / 6),
        'open-sizes': '(0x1 ,+ '.repeat(n / 8),
        registers: 'RAX '.repeat(n / 4),
        'syslog-host': 'May  2 13:21:39 ' + 'h'.repeat(n),
        'error-words': 'failed: '.repeat(n / 8),
        'trace-then-junk': 'virtio_mem_plug_request ' + 'addr='.repeat(n / 5),
      };
      for (const [name, line] of Object.entries(hostile)) {
        for (const scope of [KERNEL, QEMU]) {
          const started = process.hrtime.bigint();
          grammars[scope].tokenizeLine(line, vsctm.INITIAL);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          assert.ok(ms < 500, `${scope} on ${name} (${line.length} chars) took ${ms.toFixed(0)} ms`);
        }
      }
    });
  });

  describe('firstLine content detection', () => {
    const firstLine = (id: string): RegExp => {
      const source = manifest.contributes.languages.find((l) => l.id === id)?.firstLine;
      assert.ok(source !== undefined, `${id} has no firstLine`);
      // VS Code compiles it as a plain JavaScript RegExp and only prepends ^ when it is missing.
      assert.ok(source.startsWith('^'), `${id} firstLine is not anchored`);
      return new RegExp(source);
    };
    const detect = (line: string): string[] =>
      ['hotplug-kernel-log', 'hotplug-qemu-log'].filter((id) => firstLine(id).test(line.startsWith('\uFEFF') ? line.slice(1) : line));

    /** Fixtures whose first line is not a kernel or QEMU line (a syslog line of another program, a mail). */
    const UNRECOGNISED = new Set([
      'test/fixtures/captured/tdx-replug-mail.log',
      'test/fixtures/scenarios/F06-admin-offline-online/guest.log',
      'test/fixtures/scenarios/F08-reaccept-fails-leak/guest.log',
      'test/fixtures/scenarios/F15-touch-after-discard/host.log',
    ]);

    it('keeps the existing file name associations', () => {
      const [k, q] = ['hotplug-kernel-log', 'hotplug-qemu-log'].map((id) => manifest.contributes.languages.find((l) => l.id === id));
      assert.deepEqual(k?.extensions, ['.dmesg']);
      assert.deepEqual(k?.filenamePatterns, ['dmesg*.txt', '*.dmesg.log']);
      assert.deepEqual(q?.filenamePatterns, ['qemu*.log', '*.qemu-trace']);
    });

    it('recognises the first line of every guest, host and QEMU fixture as its own language', () => {
      let recognised = 0;
      for (const file of FIXTURES) {
        const rel = relative(ROOT, file).split('\\').join('/');
        const first = linesOf(file)[0];
        const expected = UNRECOGNISED.has(rel) ? [] : [isQemuFile(file) ? 'hotplug-qemu-log' : 'hotplug-kernel-log'];
        assert.deepEqual(detect(first), expected, `${rel}: ${JSON.stringify(first)}`);
        if (expected.length > 0) recognised++;
      }
      assert.ok(recognised >= 25, `only ${recognised} fixtures recognised`);
    });

    it('recognises the other documented first-line forms', () => {
      const kernelLines = [
        '[    1.402117] virtio_mem virtio5: start address: 0x100000000',
        '[Fri Nov 29 04:55:29 2024] virtio_mem virtio5: plugged size: 0x80000000',
        '[Sat Nov  2 04:55:29 2024] tdx: Guest detected',
        '<4>[ 5707.392231] virtio_mem virtio5: plugged size: 0x80000000',
        '2024-11-29T04:55:29,392231+01:00 tdx: Guest detected',
        'May  2 13:21:39 td-guest kernel: [ 1299.999512] virtio_mem virtio5: plugged size: 0x8000000',
      ];
      const qemuLines = [
        '2986097@1753122905.917608:qcrypto_tls_creds_x509_load cert=/etc/pki',
        '2025-07-21T18:43:28.089797Z qcrypto_tls_session_new session=0x55',
        '2026-03-24T15:21:47Z virtio_mem_unplugged_all ',
        'qemu-system-x86_64: warning: \'block-size\' property is smaller than the default block size (2 MiB)',
        'kvm_convert_memory start 0x108000000 size 0x200000 shared_to_private',
        'virtio_mem_unplug_all_request ',
      ];
      for (const line of kernelLines) assert.deepEqual(detect(line), ['hotplug-kernel-log'], line);
      for (const line of qemuLines) assert.deepEqual(detect(line), ['hotplug-qemu-log'], line);
      assert.deepEqual(detect('\uFEFF[    0.000000] tdx: Guest detected'), ['hotplug-kernel-log']);
    });

    it('does not claim unrelated text', () => {
      const unrelated = [
        '# Hotplug Lens',
        '{',
        '{ "name": "hotplug-lens" }',
        '[section]',
        '[1] first reference',
        '[ 12 ] items',
        'const x = 1;',
        '2026-05-02 10:15:00,123 INFO root: started',
        '2026-05-02T10:15:00Z INFO starting server',
        '2026-05-02T10:15:00.123Z Started',
        'Apr 14 11:19:41 td-guest systemd-logind[612]: New session 3 of user root.',
        'virtio_mem is a driver',
        'qemu is an emulator',
        'On Wed, Mar 25, 2026 at 10:14:02AM +0100, Marc-André Lureau wrote:',
        '',
      ];
      for (const line of unrelated) assert.deepEqual(detect(line), [], JSON.stringify(line));
      const readme = linesOf(join(ROOT, 'README.md'))[0];
      assert.deepEqual(detect(readme), [], readme);
    });
  });
});
