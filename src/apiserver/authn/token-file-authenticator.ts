import { readFile } from 'node:fs/promises';
import { parseGoCsv } from './go-csv.js';
import type { UserInfo } from './user-info.js';

/** Maps a bearer token to its user; undefined when the token is unknown. */
export interface TokenAuthenticator {
  authenticateToken(token: string): UserInfo | undefined;
}

/** Tries token authenticators in order; the first that knows the token decides. */
export class UnionTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly authenticators: readonly TokenAuthenticator[]) {}

  authenticateToken(token: string): UserInfo | undefined {
    for (const a of this.authenticators) {
      const user = a.authenticateToken(token);
      if (user) return user;
    }
    return undefined;
  }
}

/**
 * Static tokens from `--token-auth-file`, read as upstream's tokenfile package reads them: CSV rows
 * `token,user,uid[,"group1,group2"]` (more columns are ignored), rows with an empty token are skipped
 * and a repeated token takes the user of its last row, both with a warning.
 */
export class TokenFileAuthenticator implements TokenAuthenticator {
  private constructor(
    private readonly tokens: ReadonlyMap<string, UserInfo>,
    /** Problems worth logging that did not stop the file from loading. */
    readonly warnings: readonly string[],
  ) {}

  static async load(path: string): Promise<TokenFileAuthenticator> {
    return TokenFileAuthenticator.parse(await readFile(path, 'utf8'), path);
  }

  /** `source` names the file in messages. */
  static parse(text: string, source: string): TokenFileAuthenticator {
    let records: string[][];
    try {
      records = parseGoCsv(text);
    } catch (err) {
      throw new Error(`token file '${source}': ${(err as Error).message}`);
    }
    const tokens = new Map<string, UserInfo>();
    const warnings: string[] = [];
    records.forEach((record, index) => {
      const [token = '', username = '', uid = '', groups] = record;
      if (record.length < 3) {
        throw new Error(`token file '${source}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
      }
      const recordNumber = index + 1;
      if (token === '') {
        warnings.push(`empty token has been found in token file '${source}', record number '${recordNumber}'`);
        return;
      }
      if (tokens.has(token)) warnings.push(`duplicate token has been found in token file '${source}', record number '${recordNumber}'`);
      const user: UserInfo = { username, groups: groups === undefined ? [] : groups.split(',') };
      if (uid !== '') user.uid = uid;
      tokens.set(token, user);
    });
    return new TokenFileAuthenticator(tokens, warnings);
  }

  authenticateToken(token: string): UserInfo | undefined {
    const user = this.tokens.get(token);
    return user === undefined ? undefined : { ...user, groups: [...user.groups] };
  }
}
