import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Radio, Result, Space, Spin, Typography } from 'antd';
import { forwardRef, useEffect, useState } from 'react';
import type { InputRef } from 'antd';
import { Link, useParams } from 'react-router-dom';
import {
  CLASS_HOLDS,
  CLASS_HOLDS_LABELS,
  DAY_BASES,
  DAY_BASIS_LABELS,
  DEFAULT_PENALTY_RATE_LABEL,
  HEAD_PATTERN,
  LOAN_TYPE_RULE_LABELS as L,
  type LoanTypeRulesRecord,
} from '@vosul/common/loan-type-rules';
import { normalizeText } from '@vosul/common/text';
import {
  FormShell,
  NumberText,
  SAVED_MESSAGE,
  STALE_EDIT_MESSAGE,
  TextInput,
  applyFieldError,
  required,
  saveErrorMessage,
  type TextInputProps,
} from '../../components';
import { useUser } from '../../app/auth';
import { ApiError, api, errorMessage } from '../../lib/api';
import { toPersianDigits } from '../../lib/format';
import { LOAN_TYPES_API } from './types';

interface Values {
  past_due_after: string;
  deferred_after: string;
  doubtful_after: string;
  penalty_rate: string;
  day_basis: 360 | 365;
  class_holds: LoanTypeRulesRecord['class_holds'];
  head_current: string;
  head_past_due: string;
  head_deferred: string;
  head_doubtful: string;
}

const toValues = (r: LoanTypeRulesRecord): Values => ({
  past_due_after: String(r.past_due_after),
  deferred_after: String(r.deferred_after),
  doubtful_after: String(r.doubtful_after),
  penalty_rate: r.penalty_rate ?? '',
  day_basis: r.day_basis,
  class_holds: r.class_holds,
  head_current: r.head_current,
  head_past_due: r.head_past_due,
  head_deferred: r.head_deferred,
  head_doubtful: r.head_doubtful,
});

/** A percentage: any digits, and the Persian decimal separator «٫» read as a point. */
const RateInput = forwardRef<InputRef, TextInputProps>(function RateInput({ onChange, ...rest }, ref) {
  return (
    <TextInput
      inputMode="decimal"
      ltr
      {...rest}
      ref={ref}
      onChange={(v) =>
        onChange?.(
          normalizeText(v)
            .replace(/[٫/]/g, '.')
            .replace(/[^0-9.]/g, ''),
        )
      }
    />
  );
});

const headRule = (label: string) => ({
  pattern: HEAD_PATTERN,
  message: `${label} فقط رقم، حروف لاتین و نویسه‌های - _ . است (حداکثر ۳۰ نویسه).`,
});

const fa = (v: string | undefined) => (v ? toPersianDigits(v) : '…');

/**
 * P7 پارامترهای طبقه‌بندی و وجه التزام of one loan type: the CBI thresholds of the classes, the
 * penalty rate and day basis, what a class head holds and the ledger heads. The next daily run uses
 * them; only HQ users change them.
 */
export default function LoanTypeRulesPage() {
  const { id } = useParams();
  const user = useUser();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const url = `${LOAN_TYPES_API}/${id}/rules`;
  const rules = useQuery({
    queryKey: [url],
    queryFn: ({ signal }) => api.get<LoanTypeRulesRecord>(url, undefined, { signal }),
    staleTime: 0,
  });
  const [pastDue, deferred, doubtful] = [
    Form.useWatch('past_due_after', form),
    Form.useWatch('deferred_after', form),
    Form.useWatch('doubtful_after', form),
  ];

  useEffect(() => {
    if (rules.data) {
      form.resetFields();
      form.setFieldsValue(toValues(rules.data));
    }
  }, [rules.data, form]);

  if (rules.isPending)
    return (
      <Card variant="borderless">
        <Spin description="در حال بارگذاری…">
          <div style={{ height: 160 }} />
        </Spin>
      </Card>
    );
  if (rules.error) {
    const notFound = rules.error instanceof ApiError && rules.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? 'نوع وام مورد نظر یافت نشد' : errorMessage(rules.error)}
        extra={<Link to="/loan-types">بازگشت به انواع وام</Link>}
      />
    );
  }

  const record = rules.data;
  const hq = user.scope === 'hq';

  const onFinish = async (v: Values) => {
    setError(null);
    setSaving(true);
    try {
      const saved = await api.patch<LoanTypeRulesRecord>(url, {
        ...v,
        penalty_rate: v.penalty_rate || null,
        version: record.version,
      });
      client.setQueryData([url], saved);
      // the list refreshes in the background; the save is done
      void client.invalidateQueries({ queryKey: [LOAN_TYPES_API] });
      void message.success(SAVED_MESSAGE);
    } catch (e) {
      if (!applyFieldError(form, e)) {
        const stale = e instanceof ApiError && e.code === 'stale_edit';
        setError({ text: stale ? STALE_EDIT_MESSAGE : saveErrorMessage(e), stale });
      }
    } finally {
      setSaving(false);
    }
  };

  const threshold = (name: 'past_due_after' | 'deferred_after' | 'doubtful_after') => (
    <Form.Item name={name} label={L[name]} rules={[required(L[name])]}>
      <NumberText style={{ width: 120 }} maxLength={4} suffix="روز" />
    </Form.Item>
  );
  const head = (name: 'head_current' | 'head_past_due' | 'head_deferred' | 'head_doubtful') => (
    <Form.Item name={name} label={L[name]} rules={[required(L[name]), headRule(L[name])]}>
      <TextInput ltr maxLength={30} style={{ maxWidth: 240 }} />
    </Form.Item>
  );

  return (
    <FormShell<Values>
      form={form}
      name="loan-type-rules"
      title={`پارامترهای طبقه‌بندی و وجه التزام — ${toPersianDigits(record.code)} ${toPersianDigits(record.title)}`}
      onFinish={(v) => void onFinish(v)}
      saving={saving}
      error={error?.text}
      errorAction={
        error?.stale ? (
          <Button
            size="small"
            onClick={() => {
              setError(null);
              void rules.refetch();
            }}
          >
            بارگذاری دوباره
          </Button>
        ) : undefined
      }
      disabled={!hq}
    >
      <Space style={{ marginBottom: 16 }}>
        <Link to="/loan-types">بازگشت به انواع وام</Link>
      </Space>
      {!hq && (
        <Typography.Paragraph type="secondary">
          این پارامترها را فقط کاربران ستاد تغییر می‌دهند.
        </Typography.Paragraph>
      )}
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        آستانه‌های طبقه‌بندی (دستورالعمل طبقه‌بندی دارایی‌های بانک مرکزی)
      </Typography.Title>
      <Typography.Paragraph type="secondary" data-testid="class-ranges">
        {`جاری تا ${fa(pastDue)} روز، سررسید گذشته بیش از ${fa(pastDue)} تا ${fa(deferred)} روز، معوق بیش از ${fa(deferred)} تا ${fa(doubtful)} روز و مشکوک‌الوصول بیش از ${fa(doubtful)} روز تأخیر.`}
      </Typography.Paragraph>
      {threshold('past_due_after')}
      {threshold('deferred_after')}
      {threshold('doubtful_after')}

      <Typography.Title level={3} style={{ fontSize: 16 }}>
        وجه التزام تأخیر
      </Typography.Title>
      <Form.Item
        name="penalty_rate"
        label={L.penalty_rate}
        extra={`خالی بگذارید تا «${DEFAULT_PENALTY_RATE_LABEL}» (نرخ قرارداد هر تسهیلات به‌علاوه شش واحد درصد) به کار رود.`}
      >
        <RateInput style={{ width: 160 }} suffix="٪" placeholder={DEFAULT_PENALTY_RATE_LABEL} />
      </Form.Item>
      <Form.Item name="day_basis" label={L.day_basis}>
        <Radio.Group
          options={DAY_BASES.map((d) => ({ value: d, label: DAY_BASIS_LABELS[d] }))}
          aria-label={L.day_basis}
        />
      </Form.Item>

      <Typography.Title level={3} style={{ fontSize: 16 }}>
        سرفصل‌های حسابداری طبقات
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        دستورالعمل فقط مبلغ سررسید گذشته را به سرفصل طبقه منتقل می‌کند و باقی مانده در سرفصل جاری می‌ماند؛ با
        «کل مانده»، همه مانده پرداخت‌نشده تسهیلات به سرفصل طبقه می‌رود.
      </Typography.Paragraph>
      <Form.Item name="class_holds" label={L.class_holds}>
        <Radio.Group aria-label={L.class_holds}>
          <Space orientation="vertical">
            {CLASS_HOLDS.map((c) => (
              <Radio key={c} value={c}>
                {CLASS_HOLDS_LABELS[c]}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Typography.Paragraph type="secondary">
        کد سرفصل هر طبقه در سامانه حسابداری (رقم، حروف لاتین، - _ .)؛ چهار سرفصل باید متفاوت باشند. با تغییر
        سرفصل، اجرای روزانه بعدی مانده‌های ثبت‌شده را با سند به سرفصل جدید منتقل می‌کند.
      </Typography.Paragraph>
      {head('head_current')}
      {head('head_past_due')}
      {head('head_deferred')}
      {head('head_doubtful')}
    </FormShell>
  );
}
