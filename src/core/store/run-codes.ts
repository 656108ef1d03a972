/**
 * Beyond its state class (the low bits), what a window's run class says: the page decodes
 * windows with these, so this file imports nothing and the page's bundle takes nothing else.
 */

/** Set when other classes share the run's bins. */
export const MIXED = 0x80;
/** The run has no data. */
export const NONE = 0x7f;
