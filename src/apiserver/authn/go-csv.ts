/**
 * Reads CSV as Go's encoding/csv Reader does with its defaults (comma separator, no comment
 * character, strict quotes) and FieldsPerRecord = -1: CRLF counts as LF, empty lines are skipped,
 * a quoted field may hold commas, doubled quotes and line breaks, a quote inside an unquoted field
 * is an error.
 */
export function parseGoCsv(text: string): string[][] {
  const input = text.replace(/\r\n/g, '\n').replace(/\r$/, '');
  const records: string[][] = [];
  let pos = 0;
  let line = 1;
  while (pos < input.length) {
    if (input[pos] === '\n') {
      pos++;
      line++;
      continue;
    }
    const startLine = line;
    const record: string[] = [];
    for (;;) {
      let field = '';
      let end: number;
      if (input[pos] === '"') {
        pos++;
        for (;;) {
          const quote = input.indexOf('"', pos);
          if (quote < 0) {
            const lastLine = line + countNewlines(input.slice(pos).replace(/\n$/, ''));
            throw csvError(startLine, lastLine, 'extraneous or missing " in quoted-field');
          }
          const chunk = input.slice(pos, quote);
          field += chunk;
          line += countNewlines(chunk);
          const next = input[quote + 1];
          if (next === '"') {
            field += '"';
            pos = quote + 2;
            continue;
          }
          if (next !== undefined && next !== ',' && next !== '\n') {
            throw csvError(startLine, line, 'extraneous or missing " in quoted-field');
          }
          end = quote + 1;
          break;
        }
      } else {
        end = nextDelimiter(input, pos);
        field = input.slice(pos, end);
        if (field.includes('"')) throw csvError(startLine, line, 'bare " in non-quoted-field');
      }
      record.push(field);
      pos = end + 1;
      if (input[end] !== ',') break;
    }
    records.push(record);
    line++;
  }
  return records;
}

function nextDelimiter(input: string, from: number): number {
  for (let i = from; i < input.length; i++) {
    if (input[i] === ',' || input[i] === '\n') return i;
  }
  return input.length;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const ch of text) if (ch === '\n') count++;
  return count;
}

function csvError(startLine: number, line: number, message: string): Error {
  const where = startLine === line ? `parse error on line ${line}` : `record on line ${startLine}; parse error on line ${line}`;
  return new Error(`${where}: ${message}`);
}
