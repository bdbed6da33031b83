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
    if (!p) return;
    const place = () => {
      if (document.activeElement !== p.el) return;
      const pos = Math.min(p.pos, p.el.value.length);
      p.el.setSelectionRange(pos, pos);
    };
    place();
    // antd's input may write the value once more after this render; place the caret after that too.
    requestAnimationFrame(place);
  });
  /**
   * Call from onChange. antd may hand over a detached copy of the input as `event.target`, so the
   * live element (and its caret) is the focused one.
   */
  return (pos?: (el: Field) => number | null) => {
    const el = document.activeElement;
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return;
    const at = pos ? pos(el) : el.selectionStart;
    pending.current = at === null ? null : { el, pos: at };
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
      keepCaret();
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
        const next = normalizeText(text)
          .replace(/\D/g, '')
          .replace(/^0+(?=\d)/, '')
          .slice(0, 20);
        const shown = next ? formatMoney(next) : '';
        // The caret goes back after as many digits as stood before it.
        keepCaret((el) => {
          const caret = el.selectionStart ?? text.length;
          const digitsBefore = normalizeText(text.slice(0, caret)).replace(/\D/g, '').length;
          let pos = 0;
          for (let seen = 0; pos < shown.length && seen < digitsBefore; pos++) {
            if (/[0-9۰-۹]/.test(shown[pos] ?? '')) seen++;
          }
          return pos;
        });
        onChange?.(next);
      }}
    />
  );
});
