import type { KubeObject } from '../kube-object.js';
import { column, CREATION_TIMESTAMP_DOC, nameColumn } from './columns.js';
import { parseTime } from './human-duration.js';
import type { PrintedRow, TablePrinter } from './table-types.js';

/** RFC 3339 in UTC to the second, as Go's time.RFC3339 formats a UTC time; Go's zero time when unset. */
function rfc3339(value: unknown): string {
  const ms = parseTime(value);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The apiserver's DefaultTableConvertor, used for every kind without a printer (Role, ClusterRole, …): the name and
 * the creation time as an RFC 3339 `date` cell, which kubectl shows under CREATED AT.
 */
export const defaultTablePrinter: TablePrinter = {
  columns: [nameColumn(), column('Created At', 'date', CREATION_TIMESTAMP_DOC)],
  print: (obj: KubeObject): PrintedRow => ({ cells: [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)] }),
};
