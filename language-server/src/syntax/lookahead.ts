import { getLookaheadPaths, LLkLookaheadStrategy, type IOrAlt, type IToken, type OptionalProductionType, type Rule, type TokenType } from 'chevrotain';

/** What a lookahead function reads of the parser it runs on (as `this`). */
interface Lookahead {
  LA(howMuch: number): IToken;
}

/** One lookahead path of an alternative: the tokens after its first, which the first's index has chosen. */
interface Candidate {
  readonly alternative: number;
  readonly rest: readonly number[];
}

/**
 * Chevrotain's LL(k) lookahead with its decisions indexed by the next token. Chevrotain tries the
 * paths of every alternative in order, token by token; this looks up the paths that start with
 * the next token and tries only those, in the same order, so that it decides exactly as
 * chevrotain would. Most decisions of this grammar need two tokens somewhere (a call or a name,
 * `name =` before an argument, a trailing comma), and an operand tried nine alternatives.
 */
export class IndexedLookaheadStrategy extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    const paths = getLookaheadPaths({ occurrence: options.prodOccurrence, rule: options.rule, prodType: 'Alternation', maxLookahead: options.maxLookahead });
    const index = options.hasPredicates || options.dynamicTokensEnabled ? undefined : indexPaths(paths);
    if (!index) return super.buildLookaheadForAlternation(options);
    const { byFirst, always } = index;
    return function (this: Lookahead): number | undefined {
      const candidates = byFirst[this.LA(1).tokenTypeIdx] ?? always;
      for (const { alternative, rest } of candidates) {
        if (matches(this, rest)) return alternative;
      }
      return undefined;
    };
  }

  override buildLookaheadForOptional(options: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    const [inside] = getLookaheadPaths({ occurrence: options.prodOccurrence, rule: options.rule, prodType: options.prodType, maxLookahead: options.maxLookahead });
    // Chevrotain's own function is a table lookup when one token decides.
    const index = options.dynamicTokensEnabled || !inside || inside.every((path) => path.length === 1) ? undefined : indexPaths([inside]);
    if (!index) return super.buildLookaheadForOptional(options);
    const { byFirst, always } = index;
    return function (this: Lookahead): boolean {
      const candidates = byFirst[this.LA(1).tokenTypeIdx] ?? always;
      for (const { rest } of candidates) {
        if (matches(this, rest)) return true;
      }
      return false;
    };
  }
}

function matches(parser: Lookahead, rest: readonly number[]): boolean {
  for (let i = 0; i < rest.length; i++) {
    if (parser.LA(i + 2).tokenTypeIdx !== rest[i]) return false;
  }
  return true;
}

/**
 * The paths of each alternative by their first token's index, in chevrotain's order (alternative,
 * then path); an empty path matches any token, so it goes into every list. Undefined when a token
 * has categories, which a comparison of indices would not see.
 */
function indexPaths(alternatives: TokenType[][][]): { byFirst: Candidate[][]; always: Candidate[] } | undefined {
  const byFirst: Candidate[][] = [];
  const always: Candidate[] = [];
  const all: { alternative: number; path: TokenType[] }[] = [];
  for (let alternative = 0; alternative < alternatives.length; alternative++) {
    for (const path of alternatives[alternative] ?? []) {
      if (path.some((type) => (type.categoryMatches?.length ?? 0) > 0 || type.tokenTypeIdx === undefined)) return undefined;
      all.push({ alternative, path });
    }
  }
  const firsts = new Set(all.flatMap(({ path }) => (path[0] ? [path[0].tokenTypeIdx ?? 0] : [])));
  for (const { alternative, path } of all) {
    const rest = path.slice(1).map((type) => type.tokenTypeIdx ?? 0);
    const first = path[0];
    if (first === undefined) {
      always.push({ alternative, rest });
      for (const idx of firsts) (byFirst[idx] ??= []).push({ alternative, rest });
    } else (byFirst[first.tokenTypeIdx ?? 0] ??= []).push({ alternative, rest });
  }
  return { byFirst, always };
}
