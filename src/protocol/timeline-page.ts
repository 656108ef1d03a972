/**
 * The timeline page's markup, served by the extension (scripts and styles from the
 * extension's media folder) and written into standalone reports (everything inline). Only
 * the title comes from outside, escaped; everything else a log says is set as text later.
 */

export interface PageParts {
  /** The Content-Security-Policy: the page's own, strict. */
  csp: string;
  title: string;
  /** `<link>` or `<style nonce>` elements. */
  styles: string;
  /** `<script nonce>` elements (and, in a report, the data block). */
  scripts: string;
}

/**
 * The webview's policy: nothing but the page's own nonce'd script and the extension's styles,
 * images and fonts (`source` is the webview's cspSource). No inline code, no eval, no network.
 */
export function webviewCsp(source: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `img-src ${source} data:`,
    `font-src ${source}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function timelinePage(parts: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(parts.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${parts.styles}
</head>
<body>
<header id="toolbar">
  <span id="title" class="title"></span>
  <vscode-toolbar-container class="buttons">
    <vscode-toolbar-button id="fit" label="Fit the whole run (F)">Fit</vscode-toolbar-button>
    <vscode-toolbar-button id="zoom-out" label="Zoom out (-)">−</vscode-toolbar-button>
    <vscode-toolbar-button id="zoom-in" label="Zoom in (+)">+</vscode-toolbar-button>
    <vscode-toolbar-button id="previous-finding" label="Previous finding (P)">◂ Finding</vscode-toolbar-button>
    <vscode-toolbar-button id="next-finding" label="Next finding (N)">Finding ▸</vscode-toolbar-button>
    <vscode-toolbar-button id="expand-all" label="Expand every memory block">Expand all</vscode-toolbar-button>
    <vscode-toolbar-button id="collapse-all" label="Collapse to devices">Collapse all</vscode-toolbar-button>
  </vscode-toolbar-container>
  <vscode-textfield id="filter" class="filter" aria-label="Filter rows and findings" placeholder="Filter: virtio5  0x108000000-0x110000000  stale  HPL001  unplug"></vscode-textfield>
  <span id="filter-note" class="filter-note" role="status"></span>
</header>
<main>
  <div id="chart">
    <div id="scroller"><div id="spacer"></div></div>
    <canvas id="timeline" tabindex="0" role="application" aria-roledescription="timeline"
      aria-label="Subblock states over time. Arrows: pan and select a row; plus and minus: zoom; N and P: next and previous finding; Enter: open the line; Space: expand or collapse; F: fit."></canvas>
    <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
  </div>
  <aside id="side">
    <vscode-collapsible title="Findings" open>
      <vscode-badge slot="decorations" id="finding-count">0</vscode-badge>
      <div id="findings" class="finding-list"></div>
    </vscode-collapsible>
    <vscode-collapsible title="What changed here" open><div id="changes" class="changes"></div></vscode-collapsible>
    <vscode-collapsible title="Legend" open><div id="legend" class="legend"></div></vscode-collapsible>
  </aside>
</main>
<div id="status" class="visually-hidden" aria-live="polite"></div>
${parts.scripts}
</body>
</html>
`;
}
