import { accessPrinters } from './access-printers.js';
import { configPrinters } from './config-printers.js';
import { eventPrinter } from './event-printer.js';
import { nodePrinter } from './node-printer.js';
import { podPrinter } from './pod-printer.js';
import { servicePrinter } from './service-printer.js';
import type { TablePrinter } from './table-types.js';
import { workloadPrinters } from './workload-printers.js';

const PRINTERS = new Map<string, TablePrinter>([
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Service', servicePrinter],
  ['/Event', eventPrinter],
  ['events.k8s.io/Event', eventPrinter],
  ...Object.entries(configPrinters).map(([kind, printer]): [string, TablePrinter] => [`/${kind}`, printer]),
  ...Object.entries(workloadPrinters),
  ...Object.entries(accessPrinters),
]);

/** Upstream's table printer for a kind (pkg/printers/internalversion), or undefined for the default convertor. */
export function printerFor(group: string, kind: string): TablePrinter | undefined {
  return PRINTERS.get(`${group}/${kind}`);
}
