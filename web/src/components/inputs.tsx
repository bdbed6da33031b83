/**
 * Text inputs that accept any digits and Arabic letters: what the user types is normalised as they
 * type (Persian/Arabic digits → Latin, ي/ك → ی/ک) and trimmed on blur, so forms and searches send
 * one canonical form. All take and give plain strings, so they drop into `Form.Item`.
 */
import { Input, type GetProps, type GetRef, type InputProps, type InputRef } from 'antd';
import { forwardRef, useLayoutEffect, useRef, type ChangeEvent, type FocusEvent } from 'react';
import { formatMoney, normalizeText } from '@vosul/common/text';
import { normalizeTyping } from '../lib/text';

type Field = HTMLInputElement | HTMLTextAreaElement;
type TextAreaProps = GetProps<typeof Input.TextArea>;
type TextAreaRef = GetRef<typeof Input.TextArea>;

/**
 * Rewriting a controlled input's text moves the caret to the end; this puts it back where the
 * change left it (or at the position given).
 */
function useCaret() {
  const pending = useRef<{ el: Field; pos: number } | null>(null);
  useLayoutEffect(() => {
    const p = pending.current;
    pending.current = null;
    if (p && document.activeElement === p.el) {
      const pos = Math.min(p.pos, p.el.value.length);
      p.el.setSelectionRange(pos, pos);
    }
  });
  return (el: Field, pos: number | null) => {
    pending.current = pos === null ? null : { el, pos };
  };
}

function useNormalised(
  value: string | null | undefined,
  onChange: ((value: string) => void) | undefined,
  onBlur: ((e: FocusEvent<never>) => void) | undefined,
) {
  const keepCaret = useCaret();
  return {
    value: value ?? '',
    onChange: (e: ChangeEvent<Field>) => {
      keepCaret(e.target, e.target.selectionStart);
      onChange?.(normalizeTyping(e.target.value));
    },
    onBlur: (e: FocusEvent<Field>) => {
      const trimmed = normalizeText(e.target.value);
      if (trimmed !== (value ?? '')) onChange?.(trimmed);
      onBlur?.(e as FocusEvent<never>);
    },
  };
}

export interface TextInputProps extends Omit<InputProps, 'value' | 'defaultValue' | 'onChange'> {
  value?: string | null;
  onChange?: (value: string) => void;
  /** Left-to-right content (user names, e-mail, IP addresses, codes). */
  ltr?: boolean;
}

const cls = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/** Free text, normalised (see the module note). */
export const TextInput = forwardRef<InputRef, TextInputProps>(function TextInput(
  { value, onChange, onBlur, ltr, className, ...rest },
  ref,
) {
  const bind = useNormalised(value, onChange, onBlur);
  return <Input {...rest} ref={ref} className={cls(ltr && 'vosul-ltr', className)} {...bind} />;
});

export interface TextAreaInputProps extends Omit<TextAreaProps, 'value' | 'defaultValue' | 'onChange'> {
  value?: string | null;
  onChange?: (value: string) => void;
}

/** Multi-line free text (addresses, descriptions), normalised like TextInput. */
export const TextArea = forwardRef<TextAreaRef, TextAreaInputProps>(function TextArea(
  { value, onChange, onBlur, ...rest },
  ref,
) {
  const bind = useNormalised(value, onChange, onBlur);
  return <Input.TextArea {...rest} ref={ref} {...bind} />;
});

export interface NumberTextProps extends TextInputProps {
  /** Also keep `.` and `-` (decimals, signs); default digits only. */
  allowDecimal?: boolean;
}

/**
 * Digits only (national codes, phone numbers, account numbers): leading zeros are kept, anything
 * that is not a digit is dropped, Persian/Arabic digits become Latin.
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

export interface MoneyInputProps extends Omit<InputProps, 'value' | 'defaultValue' | 'onChange'> {
  /** The amount in Rials as a string of digits (`"12500000"`), or empty. */
  value?: string | null;
  onChange?: (value: string) => void;
  /** The unit shown after the amount; default «ریال»; null for none. */
  unit?: string | null;
}

/** Shown with Persian digits and separators (`۱۲٬۵۰۰٬۰۰۰ ریال`); the value stays plain Latin digits. */
export const MoneyInput = forwardRef<InputRef, MoneyInputProps>(function MoneyInput(
  { value, onChange, unit = 'ریال', ...rest },
  ref,
) {
  const keepCaret = useCaret();
  const digits = (value ?? '').replace(/\D/g, '');
  return (
    <Input
      inputMode="numeric"
      suffix={unit ?? undefined}
      {...rest}
      ref={ref}
      value={digits ? formatMoney(digits) : ''}
      onChange={(e) => {
        const text = e.target.value;
        const caret = e.target.selectionStart ?? text.length;
        // The caret goes back after as many digits as stood before it.
        const digitsBefore = normalizeText(text.slice(0, caret)).replace(/\D/g, '').length;
        const next = normalizeText(text)
          .replace(/\D/g, '')
          .replace(/^0+(?=\d)/, '')
          .slice(0, 20);
        const shown = next ? formatMoney(next) : '';
        let pos = 0;
        for (let seen = 0; pos < shown.length && seen < digitsBefore; pos++) {
          if (/[0-9۰-۹]/.test(shown[pos] ?? '')) seen++;
        }
        keepCaret(e.target, pos);
        onChange?.(next);
      }}
    />
  );
});
