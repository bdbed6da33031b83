/**
 * V13/V14: a workflow and its templates. One text per channel × recipient chosen; placeholder chips
 * insert `{{key}}` at the cursor; each text is previewed live on a real facility of the user's scope
 * (the server renders it), with the SMS length and parts.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Divider,
  Form,
  Input,
  Select,
  Space,
  Switch,
  TimePicker,
  Typography,
  type FormInstance,
  type GetRef,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { normalizeText, toPersianDigits } from '@vosul/common/text';
import {
  CHANNELS,
  PLACEHOLDERS,
  PLACEHOLDER_KEYS,
  MESSAGE_KIND_KEYS,
  MESSAGE_KINDS,
  RECIPIENTS,
  RECIPIENT_ROLES,
  requiredTemplates,
  smsParts,
  type Channel,
  type MessageKind,
  type PlaceholderKey,
  type Recipient,
  type RecipientRole,
  type TemplatePreview,
  type Workflow,
  type WorkflowOptions,
} from '@vosul/common/workflows';
import type { AudioFile } from '@vosul/common/audio-files';
import {
  FormPage,
  MoneyInput,
  NumberText,
  RemoteSelect,
  TextInput,
  maxLength,
  required,
} from '../../components';
import { AUDIO_FILES_API } from '../audio-files/api';
import { api, errorMessage } from '../../lib/api';
import { formatCodeName } from '../../lib/format';
import { asText } from '../../lib/text';
import { WORKFLOWS_API } from './api';
import { keepEnterFromForm } from '../../lib/keyboard';
import { DryRunPanel } from './DryRunPanel';
import { TestSendButton } from './TestSend';

interface TemplateValue {
  channel: Channel;
  recipient_role: RecipientRole;
  text: string;
  /** a call's recorded message (V30) */
  audio_file_id?: number | null;
}

interface FormValues {
  title: string;
  loan_type_codes: string[];
  branch_codes: string[];
  from_day: string;
  to_day: string;
  min_overdue_amount: string;
  channels: Channel[];
  recipients: Recipient[];
  per_day: string;
  start_time: string;
  interval_minutes: string;
  repeat_every_days: string;
  /** none chosen on a new workflow: the server's default (a range before the due date reminds) */
  message_kind?: MessageKind;
  active: boolean;
  templates: TemplateValue[];
}

const NEW: Partial<FormValues> = {
  loan_type_codes: [],
  branch_codes: [],
  from_day: '1',
  to_day: '',
  min_overdue_amount: '0',
  channels: ['sms'],
  recipients: ['borrower'],
  per_day: '1',
  start_time: '09:00',
  interval_minutes: '0',
  repeat_every_days: '0',
  active: true,
  templates: [{ channel: 'sms', recipient_role: 'borrower', text: '' }],
};

function toValues(w: Workflow): FormValues {
  return {
    title: w.title,
    loan_type_codes: w.loan_type_codes,
    branch_codes: w.branch_codes,
    from_day: String(w.from_day),
    to_day: w.to_day === null ? '' : String(w.to_day),
    min_overdue_amount: w.min_overdue_amount,
    channels: w.channels,
    recipients: w.recipients,
    per_day: String(w.per_day),
    start_time: w.start_time,
    interval_minutes: String(w.interval_minutes),
    repeat_every_days: String(w.repeat_every_days),
    message_kind: w.message_kind,
    active: w.active,
    templates: w.templates,
  };
}

function toBody(v: FormValues) {
  return {
    ...v,
    to_day: v.to_day === '' || v.to_day === undefined ? null : v.to_day,
    branch_codes: v.branch_codes ?? [],
    templates: (v.templates ?? []).map((t) => ({
      channel: t.channel,
      recipient_role: t.recipient_role,
      text: t.text ?? '',
      ...(t.channel === 'call' ? { audio_file_id: t.audio_file_id ?? null } : {}),
    })),
  };
}

/** The page's create/edit screen: FormPage's flow (load, PATCH with the version, errors under their fields). */
export default function WorkflowForm() {
  return (
    <FormPage<Workflow, FormValues>
      base={WORKFLOWS_API}
      toValues={toValues}
      toBody={toBody}
      initialValues={NEW}
    >
      {({ form, record }) => (
        <WorkflowFields form={form} workflowId={record ? String(record.id) : undefined} />
      )}
    </FormPage>
  );
}

const templateKey = (t: { channel: Channel; recipient_role: RecipientRole }) =>
  `${t.channel}/${t.recipient_role}`;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

function WorkflowFields({
  form,
  workflowId,
}: {
  form: FormInstance<FormValues>;
  workflowId: string | undefined;
}) {
  const options = useQuery({
    queryKey: [WORKFLOWS_API, 'options'],
    queryFn: ({ signal }) => api.get<WorkflowOptions>(`${WORKFLOWS_API}/options`, undefined, { signal }),
    staleTime: 60_000,
  });
  const channels = (Form.useWatch('channels', form) as Channel[] | undefined) ?? [];
  const recipients = (Form.useWatch('recipients', form) as Recipient[] | undefined) ?? [];
  // preserve: the template fields register only once rendered from this very value
  const templates =
    (Form.useWatch('templates', { form, preserve: true }) as TemplateValue[] | undefined) ?? [];
  const [facilityNo, setFacilityNo] = useState('');
  const previewFacility = useDebounced(normalizeText(facilityNo), 500);
  // Texts of unticked channels or recipients, kept should they be ticked again.
  const kept = useRef(new Map<string, string>());
  const keptAudio = useRef(new Map<string, number>());

  const channelKey = channels.join();
  const recipientKey = recipients.join();
  useEffect(() => {
    const current = (form.getFieldValue('templates') as TemplateValue[] | undefined) ?? [];
    for (const t of current) if (t?.text) kept.current.set(templateKey(t), t.text);
    for (const t of current) if (t?.audio_file_id) keptAudio.current.set(templateKey(t), t.audio_file_id);
    const needed = requiredTemplates(channels, recipients).map((n) => ({
      ...n,
      text: kept.current.get(templateKey(n)) ?? '',
      audio_file_id: keptAudio.current.get(templateKey(n)) ?? null,
    }));
    const same =
      needed.length === current.length && needed.every((n, i) => templateKey(n) === templateKey(current[i]!));
    if (!same) form.setFieldValue('templates', needed);
    // the lists' contents, not their identities, decide
  }, [channelKey, recipientKey, form]);

  const allBranches = options.data?.all_branches_allowed ?? false;

  return (
    <>
      <Form.Item name="title" label="عنوان گردش کار" rules={[required('عنوان گردش کار'), maxLength(200)]}>
        <TextInput />
      </Form.Item>
      <Form.Item
        name="loan_type_codes"
        label="نوع وام"
        rules={[{ required: true, type: 'array', min: 1, message: 'دست‌کم یک نوع وام را انتخاب کنید.' }]}
      >
        <Select
          mode="multiple"
          loading={options.isPending}
          placeholder="انتخاب کنید"
          showSearch={{
            filterOption: (input, option) =>
              normalizeText(asText(option?.label)).includes(normalizeText(input)),
          }}
          options={(options.data?.loan_types ?? []).map((t) => ({
            value: t.code,
            label: formatCodeName(t.code, t.title) ?? t.code,
          }))}
        />
      </Form.Item>
      <Form.Item label="بازه روزهای تأخیر" required>
        <Space wrap align="start">
          <Form.Item name="from_day" noStyle rules={[required('ابتدای بازه')]}>
            <NumberText allowDecimal aria-label="از روز" placeholder="از" style={{ width: 110 }} />
          </Form.Item>
          <span>تا</span>
          <Form.Item name="to_day" noStyle>
            <NumberText allowDecimal aria-label="تا روز" placeholder="بدون سقف" style={{ width: 110 }} />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          روزهای تأخیر از ۱ به بالا؛ برای یادآوری پیش از سررسید قسط، روزهای منفی (مانند −۳ تا −۱). خالی بودن
          «تا» یعنی بدون سقف.
        </Typography.Paragraph>
      </Form.Item>
      <Form.Item name="min_overdue_amount" label="حداقل مبلغ معوق">
        <MoneyInput style={{ maxWidth: 260 }} />
      </Form.Item>
      <Form.Item
        name="branch_codes"
        label="شعبه"
        rules={
          allBranches
            ? []
            : [{ required: true, type: 'array', min: 1, message: 'دست‌کم یک شعبه را انتخاب کنید.' }]
        }
        extra={allBranches ? 'بدون انتخاب، گردش کار برای همه شعب است.' : undefined}
      >
        <Select
          mode="multiple"
          loading={options.isPending}
          placeholder={allBranches ? 'همه شعب' : 'انتخاب کنید'}
          showSearch={{
            filterOption: (input, option) =>
              normalizeText(asText(option?.label)).includes(normalizeText(input)),
          }}
          options={(options.data?.branches ?? []).map((b) => ({
            value: b.code,
            label: formatCodeName(b.code, b.name) ?? b.code,
          }))}
        />
      </Form.Item>
      <Form.Item
        name="channels"
        label="نوع اطلاع‌رسانی"
        rules={[
          { required: true, type: 'array', min: 1, message: 'دست‌کم یک نوع اطلاع‌رسانی را انتخاب کنید.' },
        ]}
      >
        <Checkbox.Group options={Object.entries(CHANNELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item
        name="recipients"
        label="گیرندگان"
        rules={[{ required: true, type: 'array', min: 1, message: 'دست‌کم یک گیرنده را انتخاب کنید.' }]}
      >
        <Checkbox.Group options={Object.entries(RECIPIENTS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item
        name="per_day"
        label="تعداد اطلاع‌رسانی در روز"
        rules={[required('تعداد اطلاع‌رسانی در روز')]}
      >
        <NumberText style={{ width: 110 }} />
      </Form.Item>
      <Form.Item
        name="start_time"
        label="ساعت آغاز اطلاع‌رسانی"
        rules={[required('ساعت آغاز اطلاع‌رسانی')]}
        getValueProps={(value: unknown) => ({
          value: typeof value === 'string' && value ? dayjs(`2000-01-01T${value}`) : null,
        })}
        normalize={(value: Dayjs | null) => (value ? value.format('HH:mm') : '')}
      >
        <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} placeholder="۰۹:۰۰" />
      </Form.Item>
      <Form.Item
        name="interval_minutes"
        label="فاصله زمانی هر تکرار (دقیقه)"
        rules={[required('فاصله زمانی هر تکرار')]}
      >
        <NumberText style={{ width: 110 }} />
      </Form.Item>
      <Form.Item
        name="repeat_every_days"
        label="تکرار هر چند روز"
        rules={[required('تکرار هر چند روز')]}
        extra="۰ یعنی یک بار در هر ورود تسهیلات به بازه."
      >
        <NumberText style={{ width: 110 }} />
      </Form.Item>
      <Form.Item
        name="message_kind"
        label="نوع پیام"
        extra="پیامک یادآوری و اطلاع‌رسانی معوقات به شماره‌ای که «۱۱» (لغو۱۱) فرستاده، بنا بر تنظیمات فرستاده نمی‌شود؛ اخطار قانونی همیشه فرستاده می‌شود."
      >
        <Select
          style={{ maxWidth: 260 }}
          allowClear
          placeholder="خودکار: پیش از سررسید یادآوری، پس از آن اطلاع‌رسانی معوقات"
          options={MESSAGE_KIND_KEYS.map((value) => ({ value, label: MESSAGE_KINDS[value] }))}
          aria-label="نوع پیام"
        />
      </Form.Item>
      <Form.Item name="active" label="فعال" valuePropName="checked">
        <Switch aria-label="فعال" />
      </Form.Item>

      <Divider titlePlacement="start">الگوها</Divider>
      <Form.Item label="شماره تسهیلات پیش‌نمایش" extra="خالی: قدیمی‌ترین معوق محدوده شما.">
        <TextInput
          ltr
          value={facilityNo}
          onChange={setFacilityNo}
          placeholder="اختیاری"
          style={{ maxWidth: 240 }}
          aria-label="شماره تسهیلات پیش‌نمایش"
          onKeyDown={keepEnterFromForm}
        />
      </Form.Item>
      {templates.map((t, index) => (
        <TemplateEditor
          key={templateKey(t)}
          form={form}
          index={index}
          channel={t.channel}
          role={t.recipient_role}
          facilityNo={previewFacility}
        />
      ))}

      <DryRunPanel
        workflowId={workflowId}
        draft={async () => {
          try {
            await form.validateFields();
          } catch {
            return null;
          }
          return toBody(form.getFieldsValue(true) as FormValues);
        }}
      />
    </>
  );
}

type TextAreaRef = GetRef<typeof Input.TextArea>;

function TemplateEditor({
  form,
  index,
  channel,
  role,
  facilityNo,
}: {
  form: FormInstance<FormValues>;
  index: number;
  channel: Channel;
  role: RecipientRole;
  facilityNo: string;
}) {
  const name = `الگوی ${CHANNELS[channel]} برای ${RECIPIENT_ROLES[role]}`;
  const area = useRef<TextAreaRef>(null);
  const text = (Form.useWatch(['templates', index, 'text'], form) as string | undefined) ?? '';
  const typed = useDebounced(text, 400);
  const preview = useQuery({
    queryKey: [WORKFLOWS_API, 'preview', channel, role, typed, facilityNo],
    queryFn: ({ signal }) =>
      api.post<TemplatePreview>(
        `${WORKFLOWS_API}/preview`,
        { text: typed, channel, recipient_role: role, facility_no: facilityNo || null },
        { signal },
      ),
    enabled: typed.trim() !== '',
    retry: false,
    placeholderData: keepPreviousData,
  });

  /** Puts `{{key}}` where the cursor is (or over the selection) and the cursor after it. */
  const insert = (key: PlaceholderKey) => {
    const el = area.current?.resizableTextArea?.textArea;
    const current = (form.getFieldValue(['templates', index, 'text']) as string | undefined) ?? '';
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? start;
    const token = `{{${key}}}`;
    form.setFieldValue(['templates', index, 'text'], current.slice(0, start) + token + current.slice(end));
    void form.validateFields([['templates', index, 'text']]).catch(() => undefined);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const shown = typed.trim() && preview.data && !preview.isError ? preview.data : null;
  const sms = shown?.sms ?? smsParts(text);

  return (
    <Card size="small" title={name} style={{ marginBottom: 16 }} data-testid={`template-${channel}-${role}`}>
      <Form.Item name={['templates', index, 'channel']} hidden>
        <Input />
      </Form.Item>
      <Form.Item name={['templates', index, 'recipient_role']} hidden>
        <Input />
      </Form.Item>
      <Space wrap size={[6, 6]} style={{ marginBottom: 8 }} aria-label="جای‌نگهدارها">
        {PLACEHOLDER_KEYS.map((key) => (
          <Button key={key} size="small" onClick={() => insert(key)} title={`{{${key}}}`}>
            {PLACEHOLDERS[key].label}
          </Button>
        ))}
      </Space>
      <Form.Item
        name={['templates', index, 'text']}
        label="متن"
        labelCol={{ flex: '60px' }}
        rules={[required(`متن ${name}`), maxLength(2000)]}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea ref={area} rows={4} aria-label={`متن ${name}`} />
      </Form.Item>
      {channel === 'call' && (
        <Form.Item
          name={['templates', index, 'audio_file_id']}
          label="فایل صوتی"
          extra="پیامی که مرکز تلفن (Asterisk) پخش می‌کند و پس از آن مبلغ و روزهای معوق را می‌گوید؛ تماس متن‌به‌گفتار متن بالا را می‌خواند."
          style={{ marginBottom: 8 }}
        >
          <RemoteSelect<AudioFile>
            base={AUDIO_FILES_API}
            allowClear
            placeholder="بدون فایل صوتی"
            aria-label={`فایل صوتی ${name}`}
            style={{ maxWidth: 360 }}
          />
        </Form.Item>
      )}
      <Typography.Text strong>پیش‌نمایش:</Typography.Text>
      {preview.isError ? (
        <Alert type="warning" showIcon title={errorMessage(preview.error)} style={{ marginTop: 4 }} />
      ) : (
        <div
          data-testid="template-preview"
          style={{
            whiteSpace: 'pre-wrap',
            background: '#f6f8fa',
            border: '1px solid #e5e8eb',
            borderRadius: 6,
            padding: '8px 12px',
            marginTop: 4,
            minHeight: 40,
          }}
        >
          {shown?.text ?? (text.trim() ? 'در حال ساخت پیش‌نمایش…' : 'متن الگو را بنویسید.')}
        </div>
      )}
      <Space wrap style={{ marginTop: 4 }}>
        {shown && (
          <Typography.Text type="secondary">
            {shown.sample
              ? 'با مقادیر نمونه (تسهیلاتی در محدوده شما یافت نشد)'
              : `روی تسهیلات ${toPersianDigits(shown.facility_no ?? '')}`}
          </Typography.Text>
        )}
        {channel === 'sms' && (
          <Typography.Text data-testid="sms-parts">
            {`${toPersianDigits(sms.characters)} نویسه، ${toPersianDigits(sms.parts)} پیامک`}
            {sms.encoding === 'ucs2' ? ' (فارسی: ۷۰ نویسه در یک پیامک، ۶۷ در هر بخش پیامک بلند)' : ''}
          </Typography.Text>
        )}
        <TestSendButton channel={channel} text={shown?.text ?? null} />
      </Space>
    </Card>
  );
}
