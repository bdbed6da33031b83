import { normalizeText } from '@vosul/common';
import { normalizeMobile } from '@vosul/common/validators';
import type { ReportedStatus } from './adapter.js';

/**
 * What SMPP v3.4 asks of a message's bytes and what its receipts say, apart from any connection:
 * Persian goes as UCS-2 (data_coding 8, big-endian UTF-16), 70 characters in one submit_sm, longer
 * texts in parts of 67 behind a 6-octet concatenation header (UDH IE 0x00, 8-bit reference), with
 * esm_class's UDHI bit set — the same counting as the template page's `smsParts`.
 */

export const DATA_CODING_UCS2 = 0x08;
export const ESM_CLASS_UDHI = 0x40;
/** esm_class bits 2–5 of a deliver_sm: 0x04 = an SMSC delivery receipt (else a message from a phone) */
const ESM_CLASS_TYPE_MASK = 0x3c;
const ESM_CLASS_DELIVERY_RECEIPT = 0x04;

export const SINGLE_UNITS = 70;
const PART_UNITS = 67;
/** an 8-bit reference and an 8-bit count of parts */
const MAX_PARTS = 255;

export interface SubmitPart {
  esm_class: number;
  short_message: Buffer;
}

function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/**
 * The submit_sm bodies of one text: one part without a header when it fits 70 UTF-16 units, else
 * parts of at most 67 with the concatenation header (a surrogate pair is never cut in two). Null when
 * the text would need more than 255 parts.
 */
export function ucs2Parts(text: string, reference: number): SubmitPart[] | null {
  if (text.length <= SINGLE_UNITS) return [{ esm_class: 0, short_message: ucs2(text) }];
  const chunks: string[] = [];
  for (let at = 0; at < text.length;) {
    let end = Math.min(at + PART_UNITS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(at, end));
    at = end;
  }
  if (chunks.length > MAX_PARTS) return null;
  return chunks.map((chunk, i) => ({
    esm_class: ESM_CLASS_UDHI,
    short_message: Buffer.concat([
      Buffer.from([0x05, 0x00, 0x03, reference & 0xff, chunks.length, i + 1]),
      ucs2(chunk),
    ]),
  }));
}

/** A mobile as SMSCs take it: international, without '+' (989121234567); other numbers as they are. */
export function internationalNumber(address: string): string {
  const mobile = normalizeMobile(address);
  return mobile ? `98${mobile.slice(1)}` : address;
}

/** A number a phone sent from, as Vosul stores mobiles (09…), or as it came when it is no mobile. */
export function storedNumber(address: string): string {
  return normalizeMobile(address) ?? address;
}

export const isDeliveryReceipt = (esmClass: number): boolean =>
  (esmClass & ESM_CLASS_TYPE_MASK) === ESM_CLASS_DELIVERY_RECEIPT;

/** The message_state TLV (SMPP v3.4 §5.2.28) and the receipt text's `stat:` (Appendix B), as ours. */
const RECEIPT_STATES: Record<string, ReportedStatus> = {
  ENROUTE: 'pending',
  ACCEPTD: 'pending',
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'failed',
  UNDELIV: 'failed',
  REJECTD: 'failed',
  UNKNOWN: 'failed',
};
const MESSAGE_STATE_NAMES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

export interface DeliveryReceipt {
  messageId: string;
  /** the receipt's own word (DELIVRD …), kept as the provider said it */
  stat: string;
  status: ReportedStatus;
}

/**
 * A delivery receipt's message id and state: from the v3.4 TLVs receipted_message_id and
 * message_state when present, else from the text of Appendix B (`id:… sub:… dlvrd:… stat:DELIVRD …`).
 * Null when it names neither.
 */
export function parseReceipt(fields: {
  receipted_message_id?: unknown;
  message_state?: unknown;
  text: string;
}): DeliveryReceipt | null {
  const idInText = /(?:^|\s)id:(\S+)/i.exec(fields.text)?.[1];
  const statInText = /(?:^|\s)stat:(\S+)/i.exec(fields.text)?.[1]?.toUpperCase();
  const messageId =
    typeof fields.receipted_message_id === 'string' && fields.receipted_message_id
      ? fields.receipted_message_id
      : idInText;
  const stat =
    typeof fields.message_state === 'number'
      ? (MESSAGE_STATE_NAMES[fields.message_state] ?? statInText)
      : statInText;
  if (!messageId || !stat) return null;
  return { messageId, stat, status: RECEIPT_STATES[stat] ?? 'failed' };
}

/** A deliver_sm's text, whatever its coding (the package decodes UCS-2 and GSM; a header is dropped). */
export function textOfShortMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value && typeof value === 'object' && 'message' in value) {
    const message = value.message;
    return typeof message === 'string' ? message : Buffer.isBuffer(message) ? message.toString('latin1') : '';
  }
  return '';
}

/**
 * A phone's reply that opts out (the regulator's «لغو۱۱»): «۱۱», «11», «لغو۱۱» or «لغو ۱۱», in any
 * digits, with spaces, ZWNJ or Arabic letters; nothing else.
 */
export function isOptOutReply(text: string): boolean {
  const plain = normalizeText(text).replace(/[\s\u200c\u200e\u200f]/g, '');
  return plain === '11' || plain === 'لغو11';
}
