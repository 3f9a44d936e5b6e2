export { toTable, type IncludeObjectPolicy, type ToTableOptions } from './table-convertor.js';
export { negotiateResponseFormat, parseIncludeObject, BUILT_IN_MEDIA_TYPES, type ResponseFormat } from './table-negotiation.js';
export { humanDuration } from './human-duration.js';
export type { MetaTable, TableCell, TableColumnDefinition, TableListMeta, TableRow, TableRowCondition } from './table-types.js';
