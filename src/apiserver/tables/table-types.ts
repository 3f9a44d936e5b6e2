import type { KubeObject } from '../kube-object.js';

/** meta.k8s.io TableColumnDefinition, keys in upstream's serialisation order. */
export interface TableColumnDefinition {
  readonly name: string;
  /** An OpenAPI type: string, integer, boolean, date, number. */
  readonly type: string;
  /** `name` on the column holding the object's name, otherwise empty. */
  readonly format: string;
  readonly description: string;
  /** 0 for the default columns; 1 for those kubectl shows only with `-o wide`. */
  readonly priority: number;
}

/** One cell as upstream's printers produce it: Go strings, int64s and bools. */
export type TableCell = string | number | boolean;

/** meta.k8s.io TableRowCondition. */
export interface TableRowCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** The embedded object of a row: a PartialObjectMetadata, the full object, or null for includeObject=None. */
export type TableRowObject = KubeObject | null;

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object: TableRowObject;
}

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export type TableApiVersion = 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';

/**
 * meta.k8s.io/v1 (or v1beta1) Table. `columnDefinitions` is null when headers were not asked for (every watch event
 * after the first) and `rows` is null for an empty list under the default convertor: upstream's Go nil slices, which
 * its JSON encoder writes as `null`.
 */
export interface MetaTable {
  kind: 'Table';
  apiVersion: TableApiVersion;
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[] | null;
}

/** What a printer makes of one object: its cells (always the wide set, as the server prints) and row conditions. */
export interface PrintedRow {
  readonly cells: TableCell[];
  readonly conditions?: TableRowCondition[];
}

/** Upstream's TableHandler pair for one kind: the column definitions and the function printing one object. */
export interface TablePrinter {
  readonly columns: readonly TableColumnDefinition[];
  print(obj: KubeObject, now: number): PrintedRow;
}
