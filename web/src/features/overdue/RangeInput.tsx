import { Space } from 'antd';
import { MoneyInput, NumberText } from '../../components';

export interface RangeInputProps {
  /** `[from, to]` as strings of digits (empty: open end), as DataTable's range filters hold them. */
  value?: readonly (string | null | undefined)[] | null;
  onChange?: (value: [string, string]) => void;
  /** Labels of the two boxes for screen readers and tests, e.g. «روزهای معوق از». */
  label: string;
  money?: boolean;
}

/** Two number boxes «از» / «تا» in one control (any digits typed; amounts with separators). */
export function RangeInput({ value, onChange, label, money }: RangeInputProps) {
  const from = value?.[0] ?? '';
  const to = value?.[1] ?? '';
  const Box = money ? MoneyInput : NumberText;
  const width = money ? 150 : 80;
  return (
    <Space.Compact>
      <Box
        aria-label={`${label} از`}
        placeholder="از"
        value={from}
        onChange={(v: string) => onChange?.([v, to])}
        style={{ width }}
        {...(money ? { unit: null } : {})}
      />
      <Box
        aria-label={`${label} تا`}
        placeholder="تا"
        value={to}
        onChange={(v: string) => onChange?.([from, v])}
        style={{ width }}
        {...(money ? { unit: null } : {})}
      />
    </Space.Compact>
  );
}
