/**
 * The label selector string syntax of apimachinery's labels.Parse, token for token,
 * including its error messages:
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 */
import { fieldErrorMessage } from './field-error.js';
import {
  LabelSelectorError,
  binaryLabelOperators,
  labelKeyError,
  labelRequirement,
  type LabelOperator,
  type LabelRequirement,
} from './label-requirement.js';

type Token =
  | 'end'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Item {
  token: Token;
  literal: string;
}

const literalTokens = new Map<string, Token>([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

/**
 * Upstream's lexer reads a NUL byte as end of input: at the start of a token it ends the
 * selector, right after a token it is swallowed.
 */
const nul = '\0';
const skipNul = (input: string, pos: number): number => (input[pos] === nul ? pos + 1 : pos);

function scanIdentifierOrKeyword(input: string, start: number): [Item, number] {
  let end = start;
  while (end < input.length && input[end] !== nul && !isSpecialSymbol(input[end] ?? '') && !isWhitespace(input[end] ?? '')) {
    end++;
  }
  const literal = input.slice(start, end);
  return [{ token: literalTokens.get(literal) ?? 'identifier', literal }, skipNul(input, end)];
}

/** Longest run of special symbols that still spells an operator. */
function scanSpecialSymbol(input: string, start: number): [Item, number] {
  let best: Item | undefined;
  let bestEnd = start;
  for (let end = start + 1; end <= input.length && isSpecialSymbol(input[end - 1] ?? ''); end++) {
    const token = literalTokens.get(input.slice(start, end));
    if (token !== undefined) {
      best = { token, literal: input.slice(start, end) };
      bestEnd = end;
    } else if (best !== undefined) {
      break;
    }
  }
  // Every single special symbol is an operator, so `best` is always found.
  return [best ?? { token: 'identifier', literal: '' }, skipNul(input, bestEnd)];
}

function scan(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos] ?? '')) pos++;
    if (pos >= input.length || input[pos] === nul) {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    const [item, next] = isSpecialSymbol(input[pos] ?? '')
      ? scanSpecialSymbol(input, pos)
      : scanIdentifierOrKeyword(input, pos);
    items.push(item);
    pos = next;
  }
}

/** Whether `in`/`notin` are read as operators or as plain identifiers. */
type Context = 'keyAndOperator' | 'values';

const operatorOfToken: Partial<Record<Token, LabelOperator>> = {
  in: 'in',
  equals: '=',
  doubleEquals: '==',
  greaterThan: 'gt',
  lessThan: 'lt',
  notIn: 'notin',
  notEquals: '!=',
};

class Parser {
  private position = 0;

  constructor(private readonly items: readonly Item[]) {}

  lookahead(context: Context): Item {
    const item = this.items[this.position] ?? { token: 'end', literal: '' };
    if (context === 'values' && (item.token === 'in' || item.token === 'notIn')) {
      return { token: 'identifier', literal: item.literal };
    }
    return item;
  }

  consume(context: Context): Item {
    const item = this.lookahead(context);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { token, literal } = this.lookahead('values');
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== 'doesNotExist') {
        throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (!(err instanceof LabelSelectorError)) throw err;
        throw new LabelSelectorError(`unable to parse requirement: ${err.message}`, err.causes);
      }
      const after = this.consume('values');
      if (after.token === 'end') return requirements;
      if (after.token !== 'comma') {
        throw new LabelSelectorError(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
      const next = this.lookahead('values');
      if (next.token !== 'identifier' && next.token !== 'doesNotExist') {
        throw new LabelSelectorError(`found '${next.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator: unary } = this.parseKeyAndInferOperator();
    if (unary !== undefined) return labelRequirement(key, unary, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return labelRequirement(key, operator, [...values].sort());
  }

  private parseKeyAndInferOperator(): { key: string; operator: 'exists' | '!' | undefined } {
    let item = this.consume('values');
    const negated = item.token === 'doesNotExist';
    if (negated) item = this.consume('values');
    if (item.token !== 'identifier') throw new LabelSelectorError(`found '${item.literal}', expected: identifier`);
    const keyError = labelKeyError(item.literal, '<nil>');
    if (keyError !== undefined) throw new LabelSelectorError(fieldErrorMessage(keyError), [keyError]);
    const next = this.lookahead('values').token;
    if (negated) return { key: item.literal, operator: '!' };
    return { key: item.literal, operator: next === 'end' || next === 'comma' ? 'exists' : undefined };
  }

  private parseOperator(): LabelOperator {
    const { token, literal } = this.consume('keyAndOperator');
    const operator = operatorOfToken[token];
    if (operator === undefined) {
      throw new LabelSelectorError(`found '${literal}', expected: ${binaryLabelOperators.join(', ')}`);
    }
    return operator;
  }

  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.token !== 'openPar') throw new LabelSelectorError(`found '${open.literal}' expected: '('`);
    const first = this.lookahead('values');
    if (first.token === 'closePar') {
      this.consume('values');
      return new Set(['']);
    }
    if (first.token !== 'identifier' && first.token !== 'comma') {
      throw new LabelSelectorError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    this.consume('values');
    return values;
  }

  /** A comma separated list in which empty entries stand for the empty value: `(a,,b)`, `(,a)`, `(a,)`. */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { token, literal } = this.consume('values');
      if (token === 'identifier') {
        values.add(literal);
        const next = this.lookahead('values');
        if (next.token === 'comma') continue;
        if (next.token === 'closePar') return values;
        throw new LabelSelectorError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token !== 'comma') throw new LabelSelectorError(`found '${literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead('values').token;
      if (next === 'closePar') {
        values.add('');
        return values;
      }
      if (next === 'comma') {
        this.consume('values');
        values.add('');
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead('values');
    if (next.token === 'end' || next.token === 'comma') return new Set(['']);
    const { token, literal } = this.consume('values');
    if (token === 'identifier') return new Set([literal]);
    throw new LabelSelectorError(`found '${literal}', expected: identifier`);
  }
}

/** Parses a selector string into requirements sorted by key; throws LabelSelectorError. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements = new Parser(scan(selector)).parse();
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
