/** The elements of the timeline page (src/protocol/timeline-page.ts writes them) that the script uses. */

export interface PageElements {
  canvas: HTMLCanvasElement;
  chart: HTMLElement;
  scroller: HTMLElement;
  spacer: HTMLElement;
  tooltip: HTMLElement;
  status: HTMLElement;
  title: HTMLElement;
  filter: HTMLInputElement;
  filterNote: HTMLElement;
  legend: HTMLElement;
  findings: HTMLElement;
  findingCount: HTMLElement;
  changes: HTMLElement;
}

export function pageElements(): PageElements {
  const byId = <T extends HTMLElement>(id: string) => {
    const node = document.getElementById(id);
    if (!node) throw new Error(`timeline page lacks #${id}`);
    return node as T;
  };
  return {
    canvas: byId<HTMLCanvasElement>('timeline'),
    chart: byId('chart'),
    scroller: byId('scroller'),
    spacer: byId('spacer'),
    tooltip: byId('tooltip'),
    status: byId('status'),
    title: byId('title'),
    filter: byId<HTMLInputElement>('filter'),
    filterNote: byId('filter-note'),
    legend: byId('legend'),
    findings: byId('findings'),
    findingCount: byId('finding-count'),
    changes: byId('changes'),
  };
}
