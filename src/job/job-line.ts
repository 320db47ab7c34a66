// The unit the job layer hands to the streamer: one G-code command of the file, comment-free,
// with where it sits in the file (for resume, progress and "failed at line N" messages) and the
// slicer annotations that preceded it (layer markers, Cura's elapsed-time comments).

/** A slicer layer marker, attached to the first command after the marker. */
export interface LayerMark {
  /** 0-based count of markers seen so far in the file (not the slicer's own number: ideaMaker rafts are -2). */
  index: number;
  /** Layer height above the bed, when the marker (or the `;Z:` / `; Z_HEIGHT:` line after it) says. */
  z?: number;
}

export interface JobLine {
  /** Comment-free, trimmed command text, e.g. `G1 X10 Y5 E0.4`. Never empty. */
  command: string;
  /** 1-based line number in the file. */
  fileLine: number;
  /** File offset just after this line (its newline included): the byte progress once acknowledged. */
  byteEnd: number;
  /** Set on the first command after a slicer layer marker. */
  layer?: LayerMark;
  /** Slicer's own elapsed-time comment (Cura `;TIME_ELAPSED:`, ideaMaker `;PRINTING_TIME:`) seen since the previous command. */
  slicerElapsedS?: number;
}
