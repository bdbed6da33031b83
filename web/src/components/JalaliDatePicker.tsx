import { DatePicker } from 'antd';
import { useMemo, type ComponentProps } from 'react';
import { dateFromIso, isoFromDate } from '@vosul/common/jalali';
import { jalaliGenerateConfig } from './jalaliConfig';

const Picker = DatePicker.generatePicker<Date>(jalaliGenerateConfig);
const RangePicker = Picker.RangePicker;

/** The typed and shown form of a date. */
export const JALALI_FORMAT = 'YYYY/MM/DD';

type BasePickerProps = ComponentProps<typeof Picker>;
type BaseRangeProps = ComponentProps<typeof RangePicker>;

export interface JalaliDatePickerProps extends Omit<
  BasePickerProps,
  'value' | 'defaultValue' | 'onChange' | 'picker' | 'multiple' | 'format'
> {
  /** Gregorian `YYYY-MM-DD` (what the API sends and takes), or null/undefined for empty. */
  value?: string | null;
  onChange?: (value: string | null) => void;
}

/**
 * A Jalali date field: shows and takes `۱۴۰۳/۰۵/۰۱` (any digits may be typed), gives and takes
 * Gregorian `YYYY-MM-DD` strings, so it drops into an antd `Form.Item` bound to an API date field.
 */
export function JalaliDatePicker({ value, onChange, placeholder, style, ...rest }: JalaliDatePickerProps) {
  const date = useMemo(() => (value ? dateFromIso(value) : null), [value]);
  return (
    <Picker
      {...rest}
      value={date}
      format={JALALI_FORMAT}
      placeholder={placeholder ?? '۱۴۰۳/۰۱/۰۱'}
      style={{ minWidth: 150, ...style }}
      onChange={(next: Date | null) => onChange?.(next ? isoFromDate(next) : null)}
    />
  );
}

export type JalaliRange = [string | null, string | null];

export interface JalaliRangePickerProps extends Omit<
  BaseRangeProps,
  'value' | 'defaultValue' | 'onChange' | 'picker' | 'format'
> {
  /** `[from, to]` as Gregorian `YYYY-MM-DD` strings (either may be null). */
  value?: JalaliRange | null;
  onChange?: (value: JalaliRange | null) => void;
}

/** A Jalali from–to field; `allowEmpty` is on, so an open-ended range (only from, or only to) is possible. */
export function JalaliRangePicker({ value, onChange, placeholder, ...rest }: JalaliRangePickerProps) {
  const dates = useMemo<[Date | null, Date | null] | null>(() => {
    if (!value || (!value[0] && !value[1])) return null;
    return [value[0] ? dateFromIso(value[0]) : null, value[1] ? dateFromIso(value[1]) : null];
  }, [value]);
  return (
    <RangePicker
      allowEmpty={[true, true]}
      {...rest}
      value={dates}
      format={JALALI_FORMAT}
      placeholder={placeholder ?? ['از تاریخ', 'تا تاریخ']}
      onChange={(next) => {
        if (!next || (!next[0] && !next[1])) onChange?.(null);
        else onChange?.([next[0] ? isoFromDate(next[0]) : null, next[1] ? isoFromDate(next[1]) : null]);
      }}
    />
  );
}
