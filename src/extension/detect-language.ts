/**
 * Which of our languages a log is, from its first lines. VS Code's own `firstLine` check does
 * not apply to `*.log` files (the built-in Log language claims them by extension), so the
 * extension looks at the first lines itself, with the same regexes package.json declares.
 */

export interface LanguageRule {
  id: string;
  firstLine: RegExp;
}

interface Manifest {
  contributes?: { languages?: Array<{ id: string; firstLine?: string }> };
}

/** The `firstLine` rules of the languages the manifest contributes: one source for both checks. */
export function languageRules(manifest: Manifest): LanguageRule[] {
  return (manifest.contributes?.languages ?? [])
    .filter((l): l is { id: string; firstLine: string } => typeof l.firstLine === 'string')
    .map((l) => ({ id: l.id, firstLine: new RegExp(l.firstLine) }));
}

/** Lines looked at: a log may open with a banner or other programs' syslog lines. */
export const LINES_LOOKED_AT = 10;

/** The language whose rule the earliest of the first lines matches, if any. */
export function detectLanguage(lines: readonly string[], rules: readonly LanguageRule[]): string | undefined {
  for (const line of lines.slice(0, LINES_LOOKED_AT)) {
    const rule = rules.find((r) => r.firstLine.test(line));
    if (rule) return rule.id;
  }
  return undefined;
}
