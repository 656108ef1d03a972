/**
 * The scenario language: a few lines that describe a virtio-mem setup and what happens to it,
 * from which `simulate.ts` writes the guest, QEMU and host logs (README.md has examples).
 *
 * Syntax. Statements are separated by line ends or `;`. `#` starts a comment that runs to the
 * end of the line. Words are separated by blanks. Sizes take K/M/G/T suffixes (binary:
 * 1K = 1024) or hex (`0x100000000`); seconds may have up to six decimals.
 *
 * Configuration — only before the first action, each at most once per option:
 *   device NAME at ADDR size SIZE block SIZE [memory-block SIZE] [subblock SIZE] [node N] [bbm]
 *       NAME is virtioN. Defaults: virtio5 at 0x100000000 size 4G block 2M, memory block 128M,
 *       subblock max(block, 2M). Big Block Mode with `bbm`, or when a block is not smaller than
 *       a memory block. ADDR and SIZE must be multiples of the memory (big) block size.
 *   guest tdx|snp|plain [convert-shared-on-unplug=yes|no] [unmovable=SIZE]
 *       Default plain. unmovable: the first SIZE bytes of the region, once online, hold kernel
 *       allocations that cannot be migrated: the driver cannot unplug them (silent -EBUSY).
 *   driver mainline|coco-rfc|notifier-patch|release-rfc      (default mainline)
 *   vmm [discard-private=yes|no] [unplugged-inaccessible=yes|no] [page-release=yes|no]
 *       (defaults yes, yes, yes; page-release: the TD may use TDG.MEM.PAGE.RELEASE)
 *   seed N                                                     (default 1)
 *   log ...   (see below; before the first action it sets what the logs show from boot on)
 *
 * Actions — in order; a statement finishes (the driver has done its work) before the next:
 *   resize SIZE          host sets requested-size (a multiple of the block size, at most the region)
 *   wait SECONDS         time passes; the driver's retry timer may fire
 *   offline-online N     an admin offlines and re-onlines memory block N (memoryN in sysfs)
 *   migrate-begin        migration starts: the device answers BUSY
 *   migrate-end          migration ends
 *   touch ADDR           the guest accesses ADDR
 *   reset                host system_reset: QEMU unplugs everything itself, the guest boots anew
 *   reboot               guest kernel restarts in the same VM (kexec): UNPLUG_ALL at probe
 *   log [dynamic-debug=on|off] [qemu-trace=on|off] [qemu-timestamps=iso|tid|none]
 *       [guest-timestamps=dmesg|dmesg-T|syslog|none] [host=on|off]
 *   repeat N { STATEMENTS }   the block N times; `{` on the line of `repeat`, `}` anywhere;
 *                        repeats nest up to MAX_NESTING deep
 *
 * Errors are `ScenarioError`s with the line they are about, so the CLI can say `FILE:LINE: …`.
 */
import { isPowerOfTwo, hex, parseCount, parseSeconds, parseSize } from './numbers';
import { isSeparator, type Token, tokenize } from './tokens';
import {
  defaultConfig,
  type DeviceConfig,
  type DriverKind,
  type GuestKind,
  type LogSettings,
  MiB,
  type Scenario,
  type ScenarioAction,
  type ScenarioConfig,
} from './types';

export class ScenarioError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const DRIVERS: readonly DriverKind[] = ['mainline', 'coco-rfc', 'notifier-patch', 'release-rfc'];
const GUESTS: readonly GuestKind[] = ['tdx', 'snp', 'plain'];
const CONFIG_STATEMENTS = new Set(['device', 'guest', 'driver', 'vmm', 'seed']);
/** More device blocks than this would make the model's per-block tables unreasonably large. */
const MAX_DEVICE_BLOCKS = 1 << 24;
/**
 * Repeats nested deeper are refused: the parser and the simulator descend once per level, and
 * a scenario has no use for more (the counts multiply).
 */
const MAX_NESTING = 100;
/** The driver's subblock size is at least a pageblock (2 MiB on x86-64). */
const PAGEBLOCK = 2 * MiB;

type Words = { words: string[]; line: number };

export function parseScenario(text: string): Scenario {
  return new Parser(tokenize(text)).parse();
}

class Parser {
  private pos = 0;
  private readonly config: ScenarioConfig = defaultConfig();
  /** Set once the first action is read: configuration is final from then on. */
  private configDone = false;
  /** Lines of the configuration statements, for errors about them and for "at most once". */
  private readonly seen = new Map<string, number>();
  /** Repeats open around the statement being read. */
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Scenario {
    const actions = this.block(undefined);
    this.finishConfig();
    return { config: this.config, actions };
  }

  /** Statements up to the `}` closing the repeat at `openLine`, or to the end at top level. */
  private block(openLine: number | undefined): ScenarioAction[] {
    const actions: ScenarioAction[] = [];
    for (;;) {
      while (this.pos < this.tokens.length && isSeparator(this.tokens[this.pos])) this.pos++;
      const token = this.tokens[this.pos];
      if (token === undefined) {
        if (openLine !== undefined) throw new ScenarioError(openLine, "repeat: missing '}'");
        return actions;
      }
      if (token.text === '}') {
        if (openLine === undefined) throw new ScenarioError(token.line, "'}' without 'repeat'");
        this.pos++;
        return actions;
      }
      if (token.text === '{') throw new ScenarioError(token.line, "'{' without 'repeat'");
      const statement = this.words();
      if (statement.words[0] === 'repeat') {
        actions.push(this.repeat(statement));
      } else {
        const action = this.statement(statement);
        if (action) actions.push(action);
      }
    }
  }

  /** The words of one statement: up to a separator, `{` or `}`. */
  private words(): Words {
    const line = this.tokens[this.pos].line;
    const words: string[] = [];
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos].text;
      if (t === ';' || t === '\n' || t === '{' || t === '}') break;
      words.push(t);
      this.pos++;
    }
    return { words, line };
  }

  private repeat({ words, line }: Words): ScenarioAction {
    this.startActions();
    if (words.length !== 2) throw new ScenarioError(line, "repeat: expected 'repeat N {'");
    const count = parseCount(words[1]);
    if (count === undefined || count < 1) throw new ScenarioError(line, `repeat: '${words[1]}' is not a positive count`);
    const open = this.tokens[this.pos];
    if (open?.text !== '{' || open.line !== line) throw new ScenarioError(line, "repeat: expected '{' after the count, on the same line");
    if (this.depth === MAX_NESTING) throw new ScenarioError(line, `repeat: nested more than ${MAX_NESTING} deep, the nesting limit`);
    this.pos++;
    this.depth++;
    const body = this.block(line);
    this.depth--;
    return { kind: 'repeat', line, count, body };
  }

  /** A configuration statement (undefined) or an action; `repeat` has started the actions already. */
  private statement({ words, line }: Words): ScenarioAction | undefined {
    const [name, ...args] = words;
    if (CONFIG_STATEMENTS.has(name)) {
      if (this.configDone) throw new ScenarioError(line, `'${name}' must come before the first action`);
      this.configure(name, args, line);
      return undefined;
    }
    if (name === 'log') {
      const settings = logSettings(args, line);
      if (this.configDone) return { kind: 'log', line, settings };
      Object.assign(this.config.log, settings);
      return undefined;
    }
    this.startActions();
    return this.action(name, args, line);
  }

  private configure(name: string, args: string[], line: number): void {
    switch (name) {
      case 'device':
        this.once('device', line, 'only one device is supported');
        this.config.device = device(args, line);
        return;
      case 'guest':
        this.guest(args, line);
        return;
      case 'driver': {
        this.once('driver', line);
        if (args.length !== 1) throw new ScenarioError(line, `driver: expected one of ${DRIVERS.join(', ')}`);
        if (!(DRIVERS as readonly string[]).includes(args[0])) {
          throw new ScenarioError(line, `unknown driver '${args[0]}' (${DRIVERS.join(', ')})`);
        }
        this.config.driver = args[0] as DriverKind;
        return;
      }
      case 'vmm':
        if (args.length === 0) throw new ScenarioError(line, 'vmm: expected discard-private=, unplugged-inaccessible= or page-release=yes|no');
        for (const [key, value] of options(args, line, 'vmm')) {
          if (key === 'discard-private') this.config.discardPrivate = yesNo(key, value, line);
          else if (key === 'unplugged-inaccessible') this.config.unpluggedInaccessible = yesNo(key, value, line);
          else if (key === 'page-release') this.config.pageRelease = yesNo(key, value, line);
          else throw new ScenarioError(line, `vmm: unknown option '${key}' (discard-private, unplugged-inaccessible, page-release)`);
          this.once(`vmm ${key}`, line);
        }
        return;
      default: {
        this.once('seed', line);
        const seed = args.length === 1 ? parseCount(args[0]) : undefined;
        if (seed === undefined || seed > 0xffffffff) throw new ScenarioError(line, 'seed: expected an integer from 0 to 4294967295');
        this.config.seed = seed;
      }
    }
  }

  private guest(args: string[], line: number): void {
    if (args.length === 0) throw new ScenarioError(line, 'guest: expected tdx, snp or plain');
    for (const arg of args) {
      if (!arg.includes('=')) {
        if (!(GUESTS as readonly string[]).includes(arg)) throw new ScenarioError(line, `guest: '${arg}' is not tdx, snp or plain`);
        this.once('guest', line);
        this.config.guest = arg as GuestKind;
        continue;
      }
      const [key, value] = option(arg, line, 'guest');
      if (key === 'convert-shared-on-unplug') {
        this.config.convertSharedOnUnplug = yesNo(key, value, line);
      } else if (key === 'unmovable') {
        const size = parseSize(value);
        if (size === undefined) throw new ScenarioError(line, `unmovable: bad size '${value}'`);
        this.config.unmovable = size;
      } else {
        throw new ScenarioError(line, `guest: unknown option '${key}' (convert-shared-on-unplug, unmovable)`);
      }
      this.once(`guest ${key}`, line);
    }
  }

  private once(key: string, line: number, message = `'${key}' given twice (first on line ${this.seen.get(key)})`): void {
    if (this.seen.has(key)) throw new ScenarioError(line, message);
    this.seen.set(key, line);
  }

  private startActions(): void {
    if (!this.configDone) this.finishConfig();
  }

  /** Checks what only the whole configuration can tell. */
  private finishConfig(): void {
    this.configDone = true;
    const { config } = this;
    const driverLine = this.seen.get('driver');
    const tdxOnly = config.driver === 'notifier-patch' || config.driver === 'release-rfc';
    if (tdxOnly && config.guest !== 'tdx' && driverLine !== undefined) {
      throw new ScenarioError(driverLine, `driver ${config.driver} needs 'guest tdx' (it patches the TDX guest code)`);
    }
    const unmovableLine = this.seen.get('guest unmovable');
    if (unmovableLine !== undefined && config.unmovable > config.device.regionSize) {
      throw new ScenarioError(unmovableLine, 'unmovable: larger than the device region');
    }
  }

  private action(name: string, args: string[], line: number): ScenarioAction {
    const device = this.config.device;
    const none = (): void => {
      if (args.length > 0) throw new ScenarioError(line, `'${name}' takes no arguments`);
    };
    const one = (what: string): string => {
      if (args.length !== 1) throw new ScenarioError(line, `'${name}' needs ${what}`);
      return args[0];
    };
    switch (name) {
      case 'resize': {
        const text = one('one SIZE');
        const size = parseSize(text);
        if (size === undefined) throw new ScenarioError(line, `resize: bad size '${text}'`);
        if (size % device.blockSize !== 0) throw new ScenarioError(line, `resize: ${text} is not a multiple of the block size (${hex(device.blockSize)})`);
        if (size > device.regionSize) throw new ScenarioError(line, `resize: ${text} exceeds the region size (${hex(device.regionSize)})`);
        return { kind: 'resize', line, size };
      }
      case 'wait': {
        const text = one('SECONDS');
        const micros = parseSeconds(text);
        if (micros === undefined) throw new ScenarioError(line, `wait: '${text}' is not a number of seconds`);
        return { kind: 'wait', line, micros };
      }
      case 'offline-online': {
        const text = one('a memory block id (like 33 or memory33)');
        const block = parseCount(text.replace(/^memory/, ''));
        const first = device.addr / device.memoryBlockSize;
        const end = (device.addr + device.regionSize) / device.memoryBlockSize;
        if (block === undefined) throw new ScenarioError(line, `offline-online: '${text}' is not a memory block id`);
        if (block < first || block >= end) {
          throw new ScenarioError(line, `offline-online: memory block ${block} is outside the device region (blocks ${first} to ${end - 1})`);
        }
        return { kind: 'offline-online', line, block };
      }
      case 'touch': {
        const text = one('an ADDR');
        const addr = parseSize(text);
        if (addr === undefined) throw new ScenarioError(line, `touch: bad address '${text}'`);
        return { kind: 'touch', line, addr };
      }
      case 'migrate-begin':
      case 'migrate-end':
      case 'reset':
      case 'reboot':
        none();
        return { kind: name, line };
      default:
        throw new ScenarioError(line, `unknown statement '${name}'`);
    }
  }
}

/** `key=value` words. */
function options(args: string[], line: number, statement: string): Array<[string, string]> {
  return args.map((arg) => option(arg, line, statement));
}

function option(arg: string, line: number, statement: string): [string, string] {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) throw new ScenarioError(line, `${statement}: expected KEY=VALUE, not '${arg}'`);
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}

function yesNo(key: string, value: string, line: number): boolean {
  if (value !== 'yes' && value !== 'no') throw new ScenarioError(line, `${key} must be yes or no, not '${value}'`);
  return value === 'yes';
}

function onOff(key: string, value: string, line: number): boolean {
  if (value !== 'on' && value !== 'off') throw new ScenarioError(line, `${key} must be on or off, not '${value}'`);
  return value === 'on';
}

function oneOf<const T extends string>(key: string, value: string, allowed: readonly T[], line: number): T {
  if (!(allowed as readonly string[]).includes(value)) throw new ScenarioError(line, `${key} must be one of ${allowed.join(', ')}, not '${value}'`);
  return value as T;
}

function logSettings(args: string[], line: number): Partial<LogSettings> {
  if (args.length === 0) throw new ScenarioError(line, 'log: expected KEY=VALUE (dynamic-debug, qemu-trace, qemu-timestamps, guest-timestamps, host)');
  const settings: Partial<LogSettings> = {};
  for (const [key, value] of options(args, line, 'log')) {
    switch (key) {
      case 'dynamic-debug':
        settings.dynamicDebug = onOff(key, value, line);
        break;
      case 'qemu-trace':
        settings.qemuTrace = onOff(key, value, line);
        break;
      case 'qemu-timestamps':
        settings.qemuTimestamps = oneOf(key, value, ['iso', 'tid', 'none'], line);
        break;
      case 'guest-timestamps':
        settings.guestTimestamps = oneOf(key, value, ['dmesg', 'dmesg-T', 'syslog', 'none'], line);
        break;
      case 'host':
        settings.host = onOff(key, value, line);
        break;
      default:
        throw new ScenarioError(line, `log: unknown option '${key}' (dynamic-debug, qemu-trace, qemu-timestamps, guest-timestamps, host)`);
    }
  }
  return settings;
}

/** `device NAME at ADDR size SIZE block SIZE [memory-block SIZE] [subblock SIZE] [node N] [bbm]`. */
function device(args: string[], line: number): DeviceConfig {
  const [name, ...rest] = args;
  if (name === undefined || !/^virtio\d+$/.test(name)) throw new ScenarioError(line, `device: the name must look like virtio5, not '${name ?? ''}'`);
  const sizes = new Map<string, number>();
  let node: number | undefined;
  let bbm = false;
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    if (key === 'bbm') {
      bbm = true;
      continue;
    }
    if (!['at', 'size', 'block', 'memory-block', 'subblock', 'node'].includes(key)) throw new ScenarioError(line, `device: unknown option '${key}'`);
    const value = rest[++i];
    if (value === undefined) throw new ScenarioError(line, `device: '${key}' needs a value`);
    if (sizes.has(key) || (key === 'node' && node !== undefined)) throw new ScenarioError(line, `device: '${key}' given twice`);
    if (key === 'node') {
      node = parseCount(value);
      if (node === undefined || node > 0xffff) throw new ScenarioError(line, `device: bad node '${value}'`);
      continue;
    }
    const size = parseSize(value);
    if (size === undefined) throw new ScenarioError(line, `device: bad ${key === 'at' ? 'address' : 'size'} '${value}'`);
    sizes.set(key, size);
  }
  for (const [key, what] of [['at', 'ADDR'], ['size', 'SIZE'], ['block', 'SIZE']]) {
    if (!sizes.has(key)) throw new ScenarioError(line, `device: missing '${key} ${what}'`);
  }
  const blockSize = sizes.get('block') as number;
  const memoryBlockSize = sizes.get('memory-block') ?? 128 * MiB;
  if (!isPowerOfTwo(blockSize) || blockSize < 4096) throw new ScenarioError(line, 'device: the block size must be a power of two of at least 4K');
  if (!isPowerOfTwo(memoryBlockSize) || memoryBlockSize < 4096) throw new ScenarioError(line, 'device: the memory block size must be a power of two of at least 4K');
  const given = sizes.get('subblock');
  const subblockSize = given ?? Math.max(blockSize, PAGEBLOCK);
  if (given !== undefined && (!isPowerOfTwo(given) || given < blockSize)) {
    throw new ScenarioError(line, 'device: the subblock size must be a power of two and at least the block size');
  }
  if (given !== undefined && !bbm && given >= memoryBlockSize) {
    throw new ScenarioError(line, "device: the subblock size must be smaller than the memory block size (or use 'bbm')");
  }
  bbm ||= subblockSize >= memoryBlockSize;
  const unit = bbm ? Math.max(blockSize, memoryBlockSize) : memoryBlockSize;
  const what = bbm ? 'big block' : 'memory block';
  const addr = sizes.get('at') as number;
  const regionSize = sizes.get('size') as number;
  if (addr % unit !== 0) throw new ScenarioError(line, `device: the start address must be a multiple of the ${what} size (${hex(unit)})`);
  if (regionSize === 0 || regionSize % unit !== 0) throw new ScenarioError(line, `device: the region size must be a positive multiple of the ${what} size (${hex(unit)})`);
  if (regionSize / blockSize > MAX_DEVICE_BLOCKS) throw new ScenarioError(line, `device: more than ${MAX_DEVICE_BLOCKS} device blocks`);
  if (!Number.isSafeInteger(addr + regionSize)) throw new ScenarioError(line, 'device: the region ends beyond the addresses the model can hold');
  return { name, addr, regionSize, blockSize, memoryBlockSize, subblockSize, bbm, ...(node !== undefined ? { node } : {}) };
}
