import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Col, Empty, Row, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  NOTIFICATION_STATUSES,
  type Notification,
  type NotificationStatus,
  type NotificationSummary,
} from '@vosul/common/notifications';
import { CHANNELS, type Channel } from '@vosul/common/workflows';
import { useCanOpen } from '../../app/auth';
import { DataTable, JalaliRangePicker, RemoteSelect, TextInput, type FilterField } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatJalaliDate, toPersianDigits } from '../../lib/format';
import { Chart } from '../home/Chart';
import {
  ChannelSelect,
  NOTIFICATIONS_API,
  NotificationHistory,
  notificationColumns,
  statusOptions,
} from './shared';

/** The report's filters (they live in the address, so the summary reads the same ones as the list). */
const FILTER_KEYS = [
  'from',
  'to',
  'facility_no',
  'customer_no',
  'recipient',
  'channel',
  'status',
  'branch_id',
  'workflow_id',
] as const;

const CHART_COLORS: Partial<Record<NotificationStatus, string>> = {
  delivered: '#52c41a',
  answered: '#389e0d',
  sent: '#13c2c2',
  queued: '#1677ff',
  held: '#faad14',
  failed: '#f5222d',
  rejected: '#cf1322',
  expired: '#fa541c',
  no_answer: '#fa8c16',
  busy: '#d46b08',
};

/** Counts by status × channel (rows: statuses present; columns: channels present), with totals. */
function SummaryTable({ summary }: { summary: NotificationSummary }) {
  const channels = [...new Set(summary.by_channel.map((c) => c.channel))];
  const statuses = [...new Set(summary.by_channel.map((c) => c.status))];
  const count = (s: NotificationStatus, c?: Channel) =>
    summary.by_channel
      .filter((x) => x.status === s && (c === undefined || x.channel === c))
      .reduce((a, x) => a + x.count, 0);
  const channelTotal = (c: Channel) =>
    summary.by_channel.filter((x) => x.channel === c).reduce((a, x) => a + x.count, 0);
  type Line = { key: string; label: string; cell: (c?: Channel) => number };
  const lines: Line[] = [
    ...statuses.map((s) => ({ key: s, label: NOTIFICATION_STATUSES[s], cell: (c?: Channel) => count(s, c) })),
    { key: 'total', label: 'جمع', cell: (c?: Channel) => (c ? channelTotal(c) : summary.total) },
  ];
  return (
    <Table<Line>
      data-testid="notification-summary"
      rowKey="key"
      size="small"
      bordered
      pagination={false}
      dataSource={lines}
      locale={{ emptyText: 'اطلاع‌رسانی‌ای یافت نشد' }}
      columns={[
        { key: 'status', title: 'وضعیت', render: (_, l) => <strong>{l.label}</strong> },
        ...channels.map((c) => ({
          key: c,
          title: CHANNELS[c],
          align: 'end' as const,
          render: (_: unknown, l: Line) => toPersianDigits(l.cell(c)),
        })),
        { key: 'all', title: 'جمع', align: 'end', render: (_, l) => toPersianDigits(l.cell()) },
      ]}
    />
  );
}

/** P8: notifications by day (x) and status (stacked bars); the axis mirrored for right-to-left reading. */
function ByDayChart({ summary }: { summary: NotificationSummary }) {
  if (summary.by_day.length === 0) return <Empty description="داده‌ای برای نمودار نیست" />;
  const days = [...new Set(summary.by_day.map((d) => d.date))].sort();
  const statuses = [...new Set(summary.by_day.map((d) => d.status))];
  const counts = new Map(summary.by_day.map((d) => [`${d.date}:${d.status}`, d.count]));
  return (
    <Chart
      testId="notification-chart"
      option={{
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 32 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: {
          type: 'category',
          inverse: true,
          data: days.map((d) => formatJalaliDate(d)),
        },
        yAxis: {
          type: 'value',
          position: 'right',
          minInterval: 1,
          axisLabel: { formatter: (v: number) => toPersianDigits(v) },
        },
        series: statuses.map((s) => ({
          type: 'bar',
          stack: 'all',
          name: NOTIFICATION_STATUSES[s],
          itemStyle: CHART_COLORS[s] ? { color: CHART_COLORS[s] } : undefined,
          data: days.map((d) => counts.get(`${d}:${s}`) ?? 0),
        })),
      }}
    />
  );
}

function SummaryView() {
  const [search] = useSearchParams();
  const filter = Object.fromEntries(FILTER_KEYS.map((k) => [k, search.get(k) ?? undefined]));
  const summary = useQuery({
    queryKey: [NOTIFICATIONS_API, 'summary', filter],
    queryFn: ({ signal }) => api.get<NotificationSummary>(`${NOTIFICATIONS_API}/summary`, filter, { signal }),
    placeholderData: keepPreviousData,
  });
  if (summary.error) return <Alert type="error" showIcon title={errorMessage(summary.error)} role="alert" />;
  if (!summary.data) return null;
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      <Col xs={24} xl={10}>
        <Typography.Title level={3} style={{ fontSize: 15 }}>
          خلاصه بر حسب وضعیت و کانال
        </Typography.Title>
        <SummaryTable summary={summary.data} />
      </Col>
      <Col xs={24} xl={14}>
        <Typography.Title level={3} style={{ fontSize: 15 }}>
          اطلاع‌رسانی‌ها بر حسب روز و وضعیت
        </Typography.Title>
        <ByDayChart summary={summary.data} />
      </Col>
    </Row>
  );
}

/**
 * V23 the notification report (P8 chart): every notification of the user's scope filtered by date,
 * facility or case, recipient, channel, status, warning type and branch; a summary by status ×
 * channel, a chart by day and status, the detail list, its Excel export, and each one's history.
 */
export default function NotificationReport() {
  const canOpen = useCanOpen();
  const [history, setHistory] = useState<Notification | null>(null);
  const filters: FilterField[] = [
    { name: 'dates', label: 'بازه تاریخ', range: ['from', 'to'], input: <JalaliRangePicker /> },
    {
      name: 'facility_no',
      label: 'شماره تسهیلات',
      input: <TextInput allowClear style={{ width: 180 }} />,
    },
    { name: 'customer_no', label: 'شماره پرونده', input: <TextInput allowClear style={{ width: 140 }} /> },
    {
      name: 'recipient',
      label: 'گیرنده',
      input: <TextInput allowClear placeholder="نام یا شماره" style={{ width: 180 }} />,
    },
    { name: 'channel', label: 'کانال', input: <ChannelSelect /> },
    {
      name: 'status',
      label: 'وضعیت',
      input: <Select allowClear placeholder="همه وضعیت‌ها" options={statusOptions} style={{ width: 150 }} />,
    },
    {
      name: 'branch_id',
      label: 'شعبه',
      input: <RemoteSelect base="/api/v1/branches" placeholder="جستجو با کد یا نام" style={{ width: 200 }} />,
    },
  ];
  // the warning types are the workflows, listed to whoever may see them
  if (canOpen('workflows'))
    filters.push({
      name: 'workflow_id',
      label: 'نوع اخطار',
      input: <RemoteSelect base="/api/v1/workflows" placeholder="گردش کار" style={{ width: 200 }} />,
    });
  return (
    <>
      <DataTable<Notification>
        base={NOTIFICATIONS_API}
        createPath={null}
        editPath={null}
        deletable={false}
        searchable={false}
        exportName="notifications.xlsx"
        filters={filters}
        header={<SummaryView />}
        columns={notificationColumns(setHistory)}
      />
      <NotificationHistory notification={history} onClose={() => setHistory(null)} />
    </>
  );
}
