/** Rows per multi-row statement: 22 columns × 500 stays far below PostgreSQL's 65,535 parameters. */
export const ROWS_PER_STATEMENT = 500;

/** `($1, $2), ($3, $4), …`: placeholders of `rows` rows of `columns` values. */
export function valuesPlaceholders(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, row) => `(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`).join(', ');
}
