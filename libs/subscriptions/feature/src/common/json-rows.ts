/**
 * A batch of rows as ONE statement parameter: `FROM ${jsonRows(COLUMNS)}` with
 * `JSON.stringify(rows)` as `$1`, each row an object keyed by column name.
 *
 * Cheaper than a multi-row `VALUES ($1, $2, …), …` everywhere it counts: the
 * SQL text is the same for every batch size (the server parses and plans a
 * short statement; TypeORM scans a short string), the driver binds one value
 * instead of thousands, and PGlite's thread receives one string instead of
 * thousands of cloned values. PostgreSQL and PGlite both read it with
 * `json_to_recordset`, typing each column as declared here.
 */
export function jsonRows(columns: Readonly<Record<string, string>>, parameter = 1): string {
  const definition = Object.entries(columns)
    .map(([column, type]) => `${column} ${type}`)
    .join(', ');
  return `json_to_recordset($${parameter}::json) AS v (${definition})`;
}
