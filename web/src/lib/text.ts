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
