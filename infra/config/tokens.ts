/**
 * Values that aws-cdk-lib or cdktf would take for tokens (placeholders of values known only
 * at deploy time) instead of text. A cooperative's name holding `${Token[TOKEN.12]}` would be
 * replaced by whatever token 12 is in the app, silently; so configuration may not hold them.
 *
 * The markers are the libraries' own (aws-cdk-lib `core/lib/private/encoding.ts`, cdktf
 * `lib/tokens/private/encoding.ts`): string, list and map markers, the text form of a number
 * token, and numbers whose bits carry either library's number-token marker.
 */
import type { DocPath } from './source';

/** `${Token[`, `#{Token[` (aws-cdk-lib); `${TfToken[`, `#{TfToken[`, `&{TfToken[` (cdktf). */
const TOKEN_MARKER = /[$#&]\{(?:Tf)?Token\[/;
/** aws-cdk-lib's stringified number token (STRINGIFIED_NUMBER_PATTERN). */
const NUMBER_TOKEN_TEXT = /-1\.\d{10,16}e\+289/;
/** High 16 bits of a number token's upper word: aws-cdk-lib 0xFBFF, cdktf 0xFDFF. */
const NUMBER_TOKEN_MARKERS: ReadonlySet<number> = new Set([0xfbff, 0xfdff]);

/** A token-like value and where it sits. */
export interface TokenLike {
  readonly path: DocPath;
  /** Whether the token is in a mapping key (then `path` ends at that key). */
  readonly key: boolean;
  readonly value: string;
}

/** Whether a string holds a token marker. */
export function isTokenLikeString(s: string): boolean {
  return TOKEN_MARKER.test(s) || NUMBER_TOKEN_TEXT.test(s);
}

/** Whether a number carries a number-token marker in its bits. */
export function isTokenLikeNumber(n: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n, true);
  return NUMBER_TOKEN_MARKERS.has(view.getUint32(4, true) >>> 16);
}

/** Every token-like string, number or key in a parsed document. Iterative: depth is the parser's limit, not the stack's. */
export function findTokenLike(value: unknown): TokenLike[] {
  const found: TokenLike[] = [];
  const stack: { value: unknown; path: DocPath }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (isTokenLikeString(v)) found.push({ path, key: false, value: v });
    } else if (typeof v === 'number') {
      if (isTokenLikeNumber(v)) found.push({ path, key: false, value: String(v) });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        if (isTokenLikeString(k)) found.push({ path: [...path, k], key: true, value: k });
        stack.push({ value: (v as Record<string, unknown>)[k], path: [...path, k] });
      }
    }
  }
  return found;
}
