/**
 * How a column name in a source file (a CSV header cell, a JSON Lines key) is compared with
 * a dataset's field: one rule shared by config validation and the ingestion Lambda, so a
 * `header:` that validates is the one the Lambda matches.
 */

/**
 * The comparison key of a header cell or of a field's `header:`/`name`: Unicode NFC (Excel on
 * macOS writes decomposed Hangul), trimmed, lower-case, runs of spaces and dashes as one
 * "_". Two cells with the same key are the same column; a file holding both is rejected.
 */
export function headerKey(cell: string): string {
  return cell.normalize('NFC').trim().toLowerCase().replace(/[\s-]+/g, '_');
}
