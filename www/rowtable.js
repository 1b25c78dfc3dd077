// @ts-check
// Frame rows as the core hands them over: columns (see Session.rows in crate/src/wasm.rs),
// made into one object per row only here, for the rows the list is about to show.

/**
 * @typedef {import('./types.js').FrameRow} FrameRow
 * @typedef {import('./types.js').RowTable} RowTable
 */

/** Pieces of text per row: time, source, destination, protocol, info, colour. */
const PIECES = 6;

/**
 * @param {RowTable} table
 * @returns {FrameRow[]}
 */
export function unpackRows(table) {
  const { text, ends } = table;
  /** @type {FrameRow[]} */
  const rows = new Array(table.length);
  let at = 0;
  for (let i = 0; i < table.length; i += 1) {
    const e = i * PIECES;
    const piece = (/** @type {number} */ k) => {
      const start = k === 0 ? at : ends[e + k - 1];
      return text.slice(start, ends[e + k]);
    };
    rows[i] = {
      number: table.number[i],
      time: piece(0),
      source: piece(1),
      destination: piece(2),
      protocol: piece(3),
      length: table.frame_length[i],
      info: piece(4),
      color: piece(5),
    };
    at = ends[e + PIECES - 1];
  }
  return rows;
}
