/**
 * Finds the first syntax error in a JSON text and describes it as Go's encoding/json scanner
 * does (`invalid character '}' looking for beginning of object key string`,
 * `unexpected end of JSON input`), which is what Kubernetes clients see for a malformed body.
 * Only run on text JSON.parse rejected, or to check nesting depth.
 */
import { goQuote } from './go-format.js';

/** Go's encoding/json nesting limit. */
export const MAX_JSON_DEPTH = 10000;

export interface JsonSyntaxProblem {
  readonly message: string;
  /** Offset in the text (UTF-16 units) of the offending character. */
  readonly offset: number;
}

const enum Ctx {
  ObjectKey,
  ObjectValue,
  Array,
}

/** How Go's quoteChar shows a byte: the first UTF-8 byte of a non-ASCII character. */
function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  const code = ch.codePointAt(0) ?? 0;
  const firstByte = code < 0x80 ? code : (Buffer.from(ch, 'utf8')[0] ?? 0);
  const quoted = goQuote(String.fromCharCode(firstByte));
  return `'${quoted.slice(1, -1)}'`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

class Scanner {
  private i = 0;
  private readonly stack: Ctx[] = [];

  constructor(private readonly text: string) {}

  run(): JsonSyntaxProblem | undefined {
    const problem = this.value();
    if (problem) return problem;
    this.skipSpace();
    if (this.i < this.text.length) return this.fail('after top-level value');
    return undefined;
  }

  private fail(context: string): JsonSyntaxProblem {
    if (this.i >= this.text.length) return { message: 'unexpected end of JSON input', offset: this.text.length };
    const ch = String.fromCodePoint(this.text.codePointAt(this.i) ?? 0);
    return { message: `invalid character ${quoteChar(ch)} ${context}`, offset: this.i };
  }

  private skipSpace(): void {
    while (this.i < this.text.length && isSpace(this.text.charCodeAt(this.i))) this.i++;
  }

  private at(): number {
    return this.i < this.text.length ? this.text.charCodeAt(this.i) : -1;
  }

  /** Scans one value; containers are walked iteratively so depth costs no call stack. */
  private value(): JsonSyntaxProblem | undefined {
    for (;;) {
      this.skipSpace();
      const c = this.at();
      if (c === 0x7b || c === 0x5b) {
        if (this.stack.length >= MAX_JSON_DEPTH) return this.fail('exceeded max depth');
        this.i++;
        this.skipSpace();
        if (c === 0x7b) {
          this.stack.push(Ctx.ObjectKey);
          if (this.at() === 0x7d) {
            this.i++;
          } else {
            const problem = this.key();
            if (problem) return problem;
            continue;
          }
        } else {
          this.stack.push(Ctx.Array);
          if (this.at() !== 0x5d) continue;
          this.i++;
        }
        this.stack.pop();
      } else {
        const problem = this.scalar(c);
        if (problem) return problem;
      }
      const problem = this.afterValue();
      if (problem !== null) return problem;
    }
  }

  /** After a value: closes containers; null means another value follows. */
  private afterValue(): JsonSyntaxProblem | undefined | null {
    while (this.stack.length > 0) {
      this.skipSpace();
      const c = this.at();
      const top = this.stack[this.stack.length - 1];
      if (top === Ctx.ObjectValue || top === Ctx.ObjectKey) {
        if (c === 0x2c) {
          this.i++;
          this.skipSpace();
          return this.key() ?? null;
        }
        if (c !== 0x7d) return this.fail('after object key:value pair');
      } else {
        if (c === 0x2c) {
          this.i++;
          return null;
        }
        if (c !== 0x5d) return this.fail('after array element');
      }
      this.i++;
      this.stack.pop();
    }
    return undefined;
  }

  private key(): JsonSyntaxProblem | undefined {
    if (this.at() !== 0x22) return this.fail('looking for beginning of object key string');
    const problem = this.string();
    if (problem) return problem;
    this.skipSpace();
    if (this.at() !== 0x3a) return this.fail('after object key');
    this.i++;
    this.stack[this.stack.length - 1] = Ctx.ObjectValue;
    return undefined;
  }

  private scalar(c: number): JsonSyntaxProblem | undefined {
    if (c === 0x22) return this.string();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    return this.fail('looking for beginning of value');
  }

  private string(): JsonSyntaxProblem | undefined {
    this.i++;
    for (;;) {
      const c = this.at();
      if (c === -1) return this.fail('');
      if (c === 0x22) {
        this.i++;
        return undefined;
      }
      if (c < 0x20) return this.fail('in string literal');
      this.i++;
      if (c !== 0x5c) continue;
      const e = this.at();
      if (e === -1) return this.fail('');
      if (e === 0x75) {
        this.i++;
        for (let k = 0; k < 4; k++, this.i++) {
          if (!isHex(this.at())) return this.fail('in \\u hexadecimal character escape');
        }
      } else if ('bfnrt\\/"'.includes(String.fromCharCode(e))) {
        this.i++;
      } else {
        return this.fail('in string escape code');
      }
    }
  }

  private digits(): void {
    while (isDigit(this.at())) this.i++;
  }

  private number(): JsonSyntaxProblem | undefined {
    if (this.at() === 0x2d) {
      this.i++;
      if (!isDigit(this.at())) return this.fail('in numeric literal');
    }
    if (this.at() === 0x30) this.i++;
    else this.digits();
    if (this.at() === 0x2e) {
      this.i++;
      if (!isDigit(this.at())) return this.fail('after decimal point in numeric literal');
      this.digits();
    }
    const e = this.at();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = this.at();
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (!isDigit(this.at())) return this.fail('in exponent of numeric literal');
      this.digits();
    }
    return undefined;
  }

  private literal(word: string): JsonSyntaxProblem | undefined {
    this.i++;
    for (let k = 1; k < word.length; k++, this.i++) {
      if (this.at() !== word.charCodeAt(k)) return this.fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    return undefined;
  }
}

/** The first problem Go's scanner would report, or undefined for valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  return new Scanner(text).run();
}
