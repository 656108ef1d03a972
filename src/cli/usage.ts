/** Bad command lines: reported in one line with exit status 2, never with a stack trace. */
export class UsageError extends Error {}

export const USAGE = `Usage: hotplug-lens <command> [options] FILE...

Commands:
  events FILE...   print the events read from the logs, merged into one timeline
                   --format text|json   output format (default: text)
                   --show-unparsed      also list lines about virtio-mem/TDX/SNP/QEMU
                                        that no known format matched
                   --max-line-bytes N   longer lines are truncated (default: 1048576)

FILE may be a guest dmesg, a QEMU trace or error log, or a host dmesg; .gz files are
read transparently; - reads standard input. Several FILEs are merged into one timeline.

Exit status: 0 done, 2 the command could not run (bad usage, unreadable file).`;
