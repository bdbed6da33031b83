/**
 * Text inputs that accept any digits and Arabic letters: what the user types is normalised as they
 * type (Persian/Arabic digits → Latin, ي/ك → ی/ک) and trimmed on blur, so forms and searches send
 * one canonical form. All take and give plain strings, so they drop into `Form.Item`.
 */
import { Input, type InputProps, type InputRef } from 'antd';
import { forwardRef, useImperativeHandle, useLayoutEffect, useRef, type FocusEvent } from 'react';
import { formatMoney, normalizeText } from '@vosul/common/text';
import { normalizeTyping } from '../lib/text';

type BaseProps = Omit<InputProps, 'value' | 'defaultValue' | 'onChange'>;

export interface TextInputProps extends BaseProps {
  value?: string | null;
  onChange?: (value: string) => void;
  /** Left-to-right content (user names, e-mail, IP addresses). */
  ltr?: boolean;
}

/** Keeps the caret where it was when a length-preserving change rewrites the text. */
function useCaret(input: React.RefObject<InputRef | null>) {
  const pending = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = input.current?.input;
    if (pending.current !== null && el && document.activeElement === el) {
      const pos = Math.min(pending.current, el.value.length);
      el.setSelectionRange(pos, pos);
    }
    pending.current = null;
  });
  return (pos: number | null) => {
    pending.current = pos;
  };
}

/** Free text, normalised (see module note). */
export const TextInput = forwardRef<InputRef, TextInputProps>(function TextInput(
  { value, onChange, onBlur, ltr, className, ...rest },
  ref,
) {
  const inner = useRef<InputRef>(null);
  useImperativeHandle(ref, () => inner.current as InputRef);
  const keepCaret = useCaret(inner);
  return (
    <Input
      {...rest}
      ref={inner}
      className={[ltr ? 'vosul-ltr' : '', className ?? ''].join(' ').trim() || undefined}
      value={value ?? ''}
      onChange={(e) => {
        keepCaret(e.target.selectionStart);
        onChange?.(normalizeTyping(e.target.value));
      }}
      onBlur={(e: FocusEvent<HTMLInputElement>) => {
        const trimmed = normalizeText(e.target.value);
        if (trimmed !== (value ?? '')) onChange?.(trimmed);
        onBlur?.(e);
      }}
    />
  );
});

export interface NumberTextProps extends TextInputProps {
  /** Also keep `.` (decimals) and a leading `-`; default digits only. */
  allowDecimal?: boolean;
}

/**
 * Digits only (codes, national codes, phone numbers, account numbers): leading zeros are kept,
 * anything that is not a digit is dropped, Persian/Arabic digits become Latin.
 */
export const NumberText = forwardRef<InputRef, NumberTextProps>(function NumberText(
  { onChange, allowDecimal, ...rest },
  ref,
) {
  const keep = allowDecimal ? /[^0-9.-]/g : /[^0-9]/g;
  return (
    <TextInput
      inputMode={allowDecimal ? 'decimal' : 'numeric'}
      ltr
      {...rest}
      ref={ref}
      onChange={(v) => onChange?.(normalizeText(v).replace(keep, ''))}
    />
  );
});

export interface MoneyInputProps extends BaseProps {
  /** The amount in Rials as a string of digits (`"12500000"`), or empty. */
  value?: string | null;
  onChange?: (value: string) => void;
  /** The unit shown after the amount; default «ریال». */
  unit?: string | null;
}

/** Shown with Persian digits and thousands separators (`۱۲٬۵۰۰٬۰۰۰`); the value stays plain digits. */
export const MoneyInput = forwardRef<InputRef, MoneyInputProps>(function MoneyInput(
  { value, onChange, unit = 'ریال', ...rest },
  ref,
) {
  const inner = useRef<InputRef>(null);
  useImperativeHandle(ref, () => inner.current as InputRef);
  const keepCaret = useCaret(inner);
  const digits = (value ?? '').replace(/\D/g, '');
  const shown = digits ? formatMoney(digits) : '';
  return (
    <Input
      inputMode="numeric"
      suffix={unit ?? undefined}
      {...rest}
      ref={inner}
      value={shown}
      onChange={(e) => {
        const text = e.target.value;
        const caret = e.target.selectionStart ?? text.length;
        // How many digits stand before the caret: the caret goes back after as many digits.
        const digitsBefore = normalizeText(text.slice(0, caret)).replace(/\D/g, '').length;
        const next = normalizeText(text).replace(/\D/g, '').replace(/^0+(?=\d)/, '').slice(0, 20);
        const nextShown = next ? formatMoney(next) : '';
        let pos = 0;
        for (let seen = 0; pos < nextShown.length && seen < digitsBefore; pos++) {
          if (/[0-9۰-۹]/.test(nextShown[pos] ?? '')) seen++;
        }
        keepCaret(pos);
        onChange?.(next);
      }}
    />
  );
});
