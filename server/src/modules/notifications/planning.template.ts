import { PLACEHOLDERS, type PlaceholderKey, type PlaceholderKind } from '@vosul/common/workflows';

/**
 * A template compiled once into an SQL expression, so the planner renders every message of the book in
 * the INSERT itself: literal pieces are bound parameters, each placeholder the SQL form of its kind,
 * showing values exactly as `renderTemplate` (common/src/workflows.ts) does (SQL helpers: migration 0025).
 */

// the same pattern as renderTemplate's, so both split a text the same way
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A catalogue of placeholders: the templates' (PLACEHOLDERS) or the merged message's (MERGED_PLACEHOLDERS). */
type Catalog<K extends string> = Record<K, { kind: PlaceholderKind }>;

/** A value shown the Persian way (migration 0025's helpers); an unknown value shows as nothing. */
function display(kind: PlaceholderKind, column: string): string {
  switch (kind) {
    case 'gender':
      return `vosul_gender_title(${column})`;
    case 'money':
      return `coalesce(vosul_fa_money(${column}), '')`;
    case 'date':
      // the look-up written out: a function holding a subquery is not inlined, and costs a call per row
      return `coalesce(vosul_fa_digits((SELECT j.jalali FROM jalali_days j WHERE j.day = ${column})), '')`;
    case 'number':
      return `coalesce(vosul_fa_digits(${column}::text), '')`;
    case 'text':
      return `coalesce(${column}::text, '')`;
  }
}

export interface CompiledTemplate<K extends string = PlaceholderKey> {
  /** an SQL text expression; `$n` refer to the parameters pushed */
  sql: string;
  /** the placeholders it reads, so the planner selects only their columns */
  keys: Set<K>;
}

/**
 * `text` as an SQL expression over the columns `column(key)` names (one per placeholder of `catalog`,
 * the templates' unless given, holding the raw value: names as text, amounts as integers, dates as
 * dates, gender `M`/`F`). Literal pieces are appended to `params`; unknown placeholders stay as
 * written, like renderTemplate leaves them.
 */
export function compileTemplate<K extends string = PlaceholderKey>(
  text: string,
  params: unknown[],
  column: (key: K) => string,
  catalog: Catalog<K> = PLACEHOLDERS as unknown as Catalog<K>,
): CompiledTemplate<K> {
  const isKey = (key: string): key is K => Object.hasOwn(catalog, key);
  const parts: string[] = [];
  const keys = new Set<K>();
  let literal = '';
  let last = 0;
  const flush = () => {
    if (literal === '') return;
    params.push(literal);
    parts.push(`$${params.length}::text`);
    literal = '';
  };
  for (const match of text.matchAll(PLACEHOLDER)) {
    literal += text.slice(last, match.index);
    last = match.index + match[0].length;
    const key = match[1] ?? '';
    if (!isKey(key)) {
      literal += match[0];
      continue;
    }
    flush();
    keys.add(key);
    parts.push(display(catalog[key].kind, column(key)));
  }
  literal += text.slice(last);
  flush();
  return { sql: parts.length === 0 ? `''::text` : `(${parts.join(' || ')})`, keys };
}
