import { normalizeText } from '@vosul/common/text';

export { normalizeText };

/**
 * `normalizeText` while typing: the same digit and letter mapping, but spaces stay where they are
 * (normalizeText trims, which would eat the space the user just typed).
 */
export function normalizeTyping(value: string): string {
  let out = '';
  for (const ch of value) out += /\s/.test(ch) ? ch : normalizeText(ch);
  return out;
}

/** A scalar as text ('' for null, undefined, objects): for values of unknown shape from forms and APIs. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return '';
}
