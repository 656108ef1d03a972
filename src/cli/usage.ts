/** Bad command lines: reported in one line with exit status 2, never with a stack trace. */
export class UsageError extends Error {}

export const USAGE = `Usage: hotplug-lens <command> [options] FILE...

Commands:
  check FILE...    replay the logs through the reference model and report findings
                   with their causes and evidence (DIAGNOSTICS.md)
                   --format text|json|sarif   output format (default: text)
                   --policy NAME=VALUE        take a policy as given (repeatable)
                   --what-if NAME=VALUE       replay with a policy forced and report the
                                              findings it removes and adds (repeatable)
                   --out PATH                 write the report to PATH (replaced only
                                              when the report is complete)
                   --max-line-bytes N         longer lines are truncated (default: 1048576)
                   exit status 1 when a finding of severity error is reported
  explain TERM     a finding code or name, or a TDX status (name or value), explained
  explain --markdown  every finding and status, as docs/findings.md has them
  policies         the policy names --policy and --what-if take
  model --markdown the reference model's transition table, as the engine runs it
  events FILE...   print the events read from the logs, merged into one timeline
                   --format text|json   output format (default: text)
                   --show-unparsed      also list lines about virtio-mem/TDX/SNP/QEMU
                                        that no known format matched
                   --max-unparsed N     list at most N of them per input (default: 10000)
                   --max-line-bytes N   longer lines are truncated (default: 1048576)
  report FILE... --out PATH
                   the timeline and findings as one self-contained HTML file (no
                   network, no other files) to attach to a bug report or a mail
                   --title TEXT               the page's title (default: the file names)
  simulate SCENARIO --out DIR
                   write the logs a scenario describes (src/core/scenario/README.md)
                   to DIR/guest.log, DIR/qemu.log and DIR/host.log (all three, empty
                   when nothing was logged there); SCENARIO - reads standard input
                   --max-steps N      statements, repeat rounds and driver passes it
                                      may run (default: 10000000)
                   --max-bytes SIZE   logs it may write, like 4G (default: 256M)
                   running out of either is an error (FILE:LINE:, exit status 2)

FILE may be a guest dmesg, a QEMU trace or error log, or a host dmesg; .gz files are
read transparently; - reads standard input. Several FILEs are merged into one timeline;
a file named twice (also through a link) is read once.
Text output shows control characters in the logs as escapes (\x1b, \r, \t).

Exit status: 0 done, 1 check found an error, 2 the command could not run (bad usage,
unreadable file).`;
