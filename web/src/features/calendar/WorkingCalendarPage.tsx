import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  List,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { HOLIDAY_KINDS, JALALI_MONTHS, JALALI_WEEKDAYS, type HolidayKind } from '@vosul/common/calendar';
import { jalaliParts } from '@vosul/common/jalali';
import { useUser } from '../../app/auth';
import {
  JalaliDatePicker,
  RemoteSelect,
  TextInput,
  maxLength,
  required,
  useFormSave,
} from '../../components';
import { api, errorMessage } from '../../lib/api';
import { DISPLAY_TIME_ZONE, formatJalaliDate, toPersianDigits } from '../../lib/format';
import { PROVINCES_API } from '../org/types';
import { jalaliMonthGrid, shiftMonth } from './monthGrid';
import { HOLIDAYS_API, type Holiday } from './types';
import './calendar.css';

interface Values {
  day: string | null;
  title: string;
  kind: HolidayKind;
  province_id: number | null;
}

/** Today's Jalali year and month on the bank's clock. */
function thisMonth() {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIME_ZONE }).format(new Date());
  const parts = jalaliParts(iso)!;
  return { year: parts.year, month: parts.month };
}

const YEARS = Array.from({ length: 13 }, (_, i) => 1400 + i);

/**
 * Issue 5 point 3: the working-day calendar — a Jalali month (Saturday first) marking Fridays,
 * official holidays and closures, which HQ (and a province, for its own closures) add and edit here.
 * The notification planner moves an occasion that falls on such a day to the next working day.
 */
export default function WorkingCalendarPage() {
  const user = useUser();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [{ year, month }, setMonth] = useState(thisMonth);
  const [provinceId, setProvinceId] = useState<number | null>(null);
  const [editing, setEditing] = useState<Holiday | 'new' | null>(null);
  const [newDay, setNewDay] = useState<string | null>(null);
  const mayEdit = user.scope !== 'branch';

  const params = { year, month, province_id: provinceId };
  const holidays = useQuery({
    queryKey: [HOLIDAYS_API, params],
    queryFn: ({ signal }) => api.get<{ items: Holiday[] }>(HOLIDAYS_API, params, { signal }),
  });
  const items = useMemo(() => holidays.data?.items ?? [], [holidays.data]);
  const byDay = useMemo(() => {
    const map = new Map<string, Holiday[]>();
    for (const h of items) map.set(h.day, [...(map.get(h.day) ?? []), h]);
    return map;
  }, [items]);
  const weeks = useMemo(() => jalaliMonthGrid(year, month), [year, month]);

  const open = (target: Holiday | 'new', day: string | null = null) => {
    setNewDay(day);
    setEditing(target);
  };
  const onSaved = (text: string) => {
    setEditing(null);
    void message.success(text);
    void client.invalidateQueries({ queryKey: [HOLIDAYS_API] });
  };

  return (
    <Card
      variant="borderless"
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          تقویم کاری و تعطیلات
        </Typography.Title>
      }
      extra={
        mayEdit && (
          <Button type="primary" onClick={() => open('new')}>
            افزودن تعطیلی
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Button aria-label="ماه قبل" onClick={() => setMonth(shiftMonth(year, month, -1))}>
          ماه قبل
        </Button>
        <Select
          aria-label="ماه"
          data-testid="calendar-month"
          value={month}
          style={{ width: 120 }}
          onChange={(m: number) => setMonth({ year, month: m })}
          options={JALALI_MONTHS.map((label, i) => ({ value: i + 1, label }))}
        />
        <Select
          aria-label="سال"
          data-testid="calendar-year"
          value={year}
          style={{ width: 100 }}
          onChange={(y: number) => setMonth({ year: y, month })}
          options={YEARS.map((y) => ({ value: y, label: toPersianDigits(y) }))}
        />
        <Button aria-label="ماه بعد" onClick={() => setMonth(shiftMonth(year, month, 1))}>
          ماه بعد
        </Button>
        <Button onClick={() => setMonth(thisMonth())}>امروز</Button>
        <RemoteSelect
          base={PROVINCES_API}
          pageSize={500}
          search="local"
          aria-label="فیلتر استان"
          placeholder="همه استان‌ها"
          style={{ minWidth: 200 }}
          value={provinceId}
          onChange={(v) => setProvinceId(typeof v === 'number' ? v : null)}
        />
      </Space>

      <Typography.Title level={3} style={{ fontSize: 16 }} data-testid="calendar-title">
        {JALALI_MONTHS[month - 1]} {toPersianDigits(year)}
      </Typography.Title>
      {holidays.error && <Alert type="error" showIcon title={errorMessage(holidays.error)} />}

      <table className="working-calendar" data-testid="working-calendar">
        <thead>
          <tr>
            {JALALI_WEEKDAYS.map((name, i) => (
              <th key={name} className={i === 6 ? 'friday' : undefined}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, w) => (
            <tr key={w}>
              {week.map((cell, i) => {
                if (!cell) return <td key={i} className="outside" />;
                const entries = byDay.get(cell.iso) ?? [];
                const off = cell.friday || entries.length > 0;
                return (
                  <td
                    key={cell.iso}
                    data-testid={`calendar-day-${cell.day}`}
                    data-day={cell.iso}
                    data-off={off ? 'true' : 'false'}
                    className={[
                      off ? 'off' : '',
                      cell.friday ? 'friday' : '',
                      entries.some((e) => e.kind === 'official') ? 'official' : '',
                      entries.some((e) => e.kind === 'closure') ? 'closure' : '',
                    ].join(' ')}
                    onDoubleClick={() => mayEdit && open('new', cell.iso)}
                  >
                    <div className="day-number">{toPersianDigits(cell.day)}</div>
                    {entries.map((e) => (
                      <button
                        type="button"
                        key={e.id}
                        className={`entry ${e.kind}`}
                        data-testid="calendar-entry"
                        title={HOLIDAY_KINDS[e.kind]}
                        onClick={() => mayEdit && open(e)}
                      >
                        {toPersianDigits(e.title)}
                        {e.province_name && (
                          <span className="province"> ({toPersianDigits(e.province_name)})</span>
                        )}
                      </button>
                    ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Space style={{ marginTop: 8 }} wrap>
        <Tag color="red">جمعه و تعطیل رسمی</Tag>
        <Tag color="orange">تعطیلی موردی (سراسری یا استانی)</Tag>
        <Typography.Text type="secondary">
          جمعه‌ها همیشه تعطیل‌اند؛ برای افزودن تعطیلی روی روز دوبار کلیک کنید.
        </Typography.Text>
      </Space>

      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 24 }}>
        تعطیلات این ماه
      </Typography.Title>
      <List
        data-testid="calendar-list"
        loading={holidays.isPending}
        locale={{ emptyText: 'در این ماه به جز جمعه‌ها تعطیلی ثبت نشده است' }}
        dataSource={items}
        renderItem={(h) => (
          <List.Item
            data-testid="calendar-list-item"
            actions={
              mayEdit
                ? [
                    <Button key="edit" type="link" size="small" onClick={() => open(h)}>
                      ویرایش
                    </Button>,
                  ]
                : []
            }
          >
            <Space wrap>
              <span>{formatJalaliDate(h.day)}</span>
              <Tag color={h.kind === 'official' ? 'red' : 'orange'}>{HOLIDAY_KINDS[h.kind]}</Tag>
              <span>{toPersianDigits(h.title)}</span>
              <Typography.Text type="secondary">
                {h.province_name ? toPersianDigits(h.province_name) : 'سراسر کشور'}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />

      {editing !== null && (
        <HolidayModal
          record={editing === 'new' ? null : editing}
          day={newDay}
          hq={user.scope === 'hq'}
          onClose={() => setEditing(null)}
          onSaved={onSaved}
        />
      )}
    </Card>
  );
}

function HolidayModal({
  record,
  day,
  hq,
  onClose,
  onSaved,
}: {
  record: Holiday | null;
  day: string | null;
  hq: boolean;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const [form] = Form.useForm<Values>();
  const { save, saving, error, setError } = useFormSave(form, async (values: Values) => {
    const body = {
      day: values.day,
      title: values.title,
      kind: values.kind,
      province_id: values.kind === 'official' ? null : (values.province_id ?? null),
    };
    if (record) await api.patch(`${HOLIDAYS_API}/${record.id}`, { ...body, version: record.version });
    else await api.post(HOLIDAYS_API, body);
    onSaved('تعطیلی ذخیره شد.');
  });

  const remove = async () => {
    if (!record) return;
    setError(null);
    try {
      await api.delete(`${HOLIDAYS_API}/${record.id}`);
      onSaved('تعطیلی حذف شد.');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Modal
      open
      title={record ? 'ویرایش تعطیلی' : 'افزودن تعطیلی'}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          {record && (
            <Popconfirm
              title="این تعطیلی حذف شود؟"
              okText="حذف"
              cancelText="انصراف"
              onConfirm={() => void remove()}
            >
              <Button danger>حذف</Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>انصراف</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            ذخیره
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        name="holiday"
        layout="vertical"
        initialValues={
          record
            ? { day: record.day, title: record.title, kind: record.kind, province_id: record.province_id }
            : { day, title: '', kind: hq ? 'official' : 'closure', province_id: null }
        }
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="day" label="تاریخ" rules={[{ required: true, message: 'تاریخ را وارد کنید.' }]}>
          <JalaliDatePicker />
        </Form.Item>
        <Form.Item name="title" label="عنوان" rules={[required('عنوان'), maxLength(200)]}>
          <TextInput />
        </Form.Item>
        <Form.Item name="kind" label="نوع">
          <Radio.Group
            optionType="button"
            options={Object.entries(HOLIDAY_KINDS).map(([value, label]) => ({
              value,
              label,
              disabled: !hq && value === 'official',
            }))}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['kind']}>
          {({ getFieldValue }) =>
            getFieldValue('kind') === 'closure' ? (
              <Form.Item
                name="province_id"
                label="استان"
                extra={hq ? 'خالی: تعطیلی در سراسر کشور.' : undefined}
              >
                <RemoteSelect
                  base={PROVINCES_API}
                  pageSize={500}
                  search="local"
                  placeholder="سراسر کشور"
                  initialOption={
                    record?.province_id
                      ? { value: record.province_id, label: record.province_name ?? '' }
                      : null
                  }
                />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </Form>
    </Modal>
  );
}
