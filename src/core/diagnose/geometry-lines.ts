/**
 * A device's geometry lines. A value no driver could run with (a corrupt line) is not taken,
 * so that it cannot erase what the rest of the log shows: the last possible value stays, or the
 * field is inferred as when it is not logged; the line is told as a sign of a damaged log (HPL015).
 */
import { GEOMETRY_FIELD_NAMES, type GeometryField, impossibleGeometry, regionNoLongerPossible } from '../model/geometry';
import type { Ref } from '../model/model';
import { hexString as hex } from '../text/hex';
import type { Run } from './run';

export class GeometryLines {
  /** Values not taken, each with why: the HPL015 of their input. */
  readonly impossibleValues: Array<{ at: Ref; reason: string }> = [];
  /** Per device, the line each field was taken from. */
  private readonly lines = new Map<string, Partial<Record<GeometryField, Ref>>>();

  constructor(private readonly run: Run) {}

  /** Takes a geometry value unless no driver could run with it; the caller applies what waited for the region. */
  take(device: string, field: GeometryField, value: bigint, at: Ref): void {
    const g = this.run.model.device(device).geometry;
    const why = impossibleGeometry(field, value, g);
    if (why !== undefined) {
      this.ignore(device, field, value, at, why);
      return;
    }
    g[field] = value;
    let lines = this.lines.get(device);
    if (!lines) this.lines.set(device, (lines = {}));
    lines[field] = at;
    const region = regionNoLongerPossible(g);
    if (region !== undefined && g.regionSize !== undefined) {
      this.ignore(device, 'regionSize', g.regionSize, lines.regionSize ?? at, region);
      g.regionSize = undefined;
    }
  }

  private ignore(device: string, field: GeometryField, value: bigint, at: Ref, why: string): void {
    this.impossibleValues.push({
      at,
      reason: `its line ${at.line} gives ${device} an impossible ${GEOMETRY_FIELD_NAMES[field]} ${hex(value)} (${why}): ignored`,
    });
  }
}
