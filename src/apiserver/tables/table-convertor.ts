import type { KubeObject } from '../kube-object.js';
import { defaultTablePrinter } from './default-table.js';
import { printerFor } from './printer-registry.js';
import type { MetaTable, TableApiVersion, TableListMeta, TableRow, TableRowObject } from './table-types.js';

/** TableOptions.includeObject; upstream treats an absent value as Metadata. */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

export interface ToTableOptions {
  readonly includeObject: IncludeObjectPolicy;
  /** The clock reading (ms since the epoch) AGE and similar cells count from. */
  readonly now: number;
  /**
   * The list's metadata for a list or a list page. Leave it out for a single object (a GET, or one watch event): the
   * table then carries that object's resourceVersion, as upstream's CommonAccessor fallback does.
   */
  readonly listMeta?: TableListMeta;
  /** False for every watch event after the first: upstream then sends `columnDefinitions: null`. */
  readonly withColumns: boolean;
  /** The meta.k8s.io version the client asked for (`v=` in its Accept header); v1 when not given. */
  readonly version?: 'v1' | 'v1beta1';
}

function tableMetadata(objects: readonly KubeObject[], listMeta: TableListMeta | undefined): TableListMeta {
  const out: TableListMeta = {};
  if (listMeta === undefined) {
    const rv = objects.length === 1 ? objects[0]?.metadata?.resourceVersion : undefined;
    if (rv) out.resourceVersion = rv;
    return out;
  }
  if (listMeta.resourceVersion) out.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue) out.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) out.remainingItemCount = listMeta.remainingItemCount;
  return out;
}

function rowObject(obj: KubeObject, policy: IncludeObjectPolicy, apiVersion: TableApiVersion): TableRowObject {
  switch (policy) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata ?? {} };
  }
}

/**
 * The meta.k8s.io Table kube-apiserver returns for `objects` of one kind (a list's items in order, or the one object
 * of a GET or watch event): upstream's printer columns for kinds that have one, else DefaultTableConvertor's Name and
 * Created At. Rows always hold every column, wide ones included, as the server prints with Wide set; kubectl drops
 * priority-1 columns itself. Objects are used as given, so pass them in the version the client addressed.
 */
export function toTable(group: string, kind: string, objects: readonly KubeObject[], options: ToTableOptions): MetaTable {
  const apiVersion: TableApiVersion = options.version === 'v1beta1' ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
  const printer = printerFor(group, kind);
  const rows = objects.map((obj): TableRow => {
    const printed = (printer ?? defaultTablePrinter).print(obj, options.now);
    const object = rowObject(obj, options.includeObject, apiVersion);
    return printed.conditions === undefined
      ? { cells: printed.cells, object }
      : { cells: printed.cells, conditions: printed.conditions, object };
  });
  const columns = (printer ?? defaultTablePrinter).columns;
  return {
    kind: 'Table',
    apiVersion,
    metadata: tableMetadata(objects, options.listMeta),
    columnDefinitions: options.withColumns ? columns.map((c) => ({ ...c })) : null,
    rows: printer === undefined && rows.length === 0 ? null : rows,
  };
}
