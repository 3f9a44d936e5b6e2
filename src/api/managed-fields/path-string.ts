import { goQuote } from '../go-format.js';
import type { FieldSetPath } from './field-set.js';
import type { PathElement } from './path-element.js';

/** A value as structured-merge-diff's value.ToString prints it in paths (`"web"`, `80`, `true`). */
export function valueString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(valueString).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}}`;
}

/** Go's %v of a float64 (strconv 'g' with the shortest representation). */
function goFloat(value: number): string {
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 21) {
    const [mantissa, exp = '0'] = value.toExponential().split('e');
    const n = Number(exp);
    return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(value);
}

/** `.spec`, `[name="web"]`, `[=value]`, `[0]`: upstream's PathElement.String. */
export function pathElementString(element: PathElement): string {
  if ('field' in element) return `.${element.field}`;
  if ('key' in element) return `[${element.key.map(([name, value]) => `${name}=${valueString(value)}`).join(',')}]`;
  if ('value' in element) return `[=${valueString(element.value)}]`;
  return `[${element.index}]`;
}

/** `.spec.template.spec.containers[name="web"].image`: upstream's Path.String. */
export function pathString(path: FieldSetPath): string {
  return path.map(pathElementString).join('');
}
