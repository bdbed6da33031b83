import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Statistic, Tooltip, Typography } from 'antd';
import type { Dashboard as DashboardData, DashboardBucket } from '@vosul/common/dashboard';
import { api, errorMessage } from '../../lib/api';
import { formatJalaliDate, formatNumber, toPersianDigits } from '../../lib/format';
import { Chart } from './Chart';
import { jalaliMonthName, rials, rtl, shortRials } from './format';

const DASHBOARD_API = '/api/v1/dashboard';
const COLORS = { overdue: '#d4380d', collected: '#389e0d', count: '#1677ff' };

type TooltipParam = { name: string; value: number; seriesName: string; marker: string; dataIndex: number };

/** A bar per bucket: the overdue amount (or the count), the other figure in the tooltip. */
function bucketsOption(buckets: DashboardBucket[], measure: 'amount' | 'count') {
  return {
    grid: { top: 16, bottom: 8, left: 8, right: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (params: TooltipParam[]) => {
        const b = buckets[params[0]?.dataIndex ?? 0];
        if (!b) return '';
        return `${b.title}<br/>تعداد: ${formatNumber(b.facilities, true)}<br/>مبلغ معوق: ${rials(b.overdue_amount)}`;
      },
    },
    xAxis: {
      type: 'category',
      inverse: true,
      data: buckets.map((b) => b.title),
      axisLabel: { interval: 0, hideOverlap: false, width: 90, overflow: 'break', formatter: rtl },
    },
    yAxis: {
      type: 'value',
      position: 'right',
      minInterval: measure === 'count' ? 1 : undefined,
      axisLabel: {
        formatter: (v: number) => (measure === 'amount' ? shortRials(v) : formatNumber(v, true)),
      },
    },
    series: [
      {
        type: 'bar',
        name: measure === 'amount' ? 'مبلغ معوق' : 'تعداد تسهیلات',
        itemStyle: { color: measure === 'amount' ? COLORS.overdue : COLORS.count },
        data: buckets.map((b) => (measure === 'amount' ? Number(b.overdue_amount) : b.facilities)),
      },
    ],
  };
}

function seriesOption(series: DashboardData['series']) {
  return {
    grid: { top: 40, bottom: 8, left: 8, right: 8, containLabel: true },
    legend: { top: 0, right: 0, align: 'right', itemGap: 24, formatter: rtl },
    tooltip: {
      trigger: 'axis',
      formatter: (params: TooltipParam[]) =>
        [
          params[0]?.name ?? '',
          ...params.map((p) =>
            p.value === null || p.value === undefined
              ? ''
              : `${p.marker}${p.seriesName}: ${rials(String(p.value))}`,
          ),
        ]
          .filter(Boolean)
          .join('<br/>'),
    },
    xAxis: {
      type: 'category',
      inverse: true,
      data: series.map((s) => jalaliMonthName(s.month)),
      axisLabel: { formatter: rtl },
    },
    yAxis: { type: 'value', position: 'right', axisLabel: { formatter: (v: number) => shortRials(v) } },
    series: [
      {
        type: 'bar',
        name: 'وصول‌شده',
        itemStyle: { color: COLORS.collected },
        data: series.map((s) => Number(s.collected)),
      },
      {
        type: 'line',
        name: 'مانده معوق',
        connectNulls: true,
        itemStyle: { color: COLORS.overdue },
        data: series.map((s) => (s.overdue_amount === null ? null : Number(s.overdue_amount))),
      },
    ],
  };
}

/** Horizontal bars (long labels: branches, amount bands), growing from the right; the first on top. */
function horizontalOption(buckets: DashboardBucket[], measure: 'amount' | 'count') {
  const rows = [...buckets].reverse();
  return {
    grid: { top: 8, bottom: 8, left: 8, right: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (params: TooltipParam[]) => {
        const b = rows[params[0]?.dataIndex ?? 0];
        return b
          ? `${b.title}<br/>تعداد: ${formatNumber(b.facilities, true)}<br/>مبلغ معوق: ${rials(b.overdue_amount)}`
          : '';
      },
    },
    xAxis: {
      type: 'value',
      inverse: true,
      minInterval: measure === 'count' ? 1 : undefined,
      axisLabel: {
        formatter: (v: number) => (measure === 'amount' ? shortRials(v) : formatNumber(v, true)),
      },
    },
    yAxis: {
      type: 'category',
      position: 'right',
      data: rows.map((b) => b.title),
      axisLabel: { width: 240, overflow: 'truncate', formatter: rtl },
    },
    series: [
      {
        type: 'bar',
        name: measure === 'amount' ? 'مبلغ معوق' : 'تعداد تسهیلات',
        itemStyle: { color: measure === 'amount' ? COLORS.overdue : COLORS.count },
        data: rows.map((b) => (measure === 'amount' ? Number(b.overdue_amount) : b.facilities)),
      },
    ],
  };
}

const RECOVERY_HELP = (days: number) =>
  `نرخ وصول = وصولی ${toPersianDigits(days)} روز منتهی به تاریخ اجرا ÷ (همان وصولی + مانده معوق در تاریخ اجرا)`;

/** V32/T9/P8: the collection picture of the user's scope (branch, province or the whole bank). */
export function Dashboard() {
  const query = useQuery({
    queryKey: [DASHBOARD_API],
    queryFn: ({ signal }) => api.get<DashboardData>(DASHBOARD_API, undefined, { signal }),
  });
  const d = query.data;
  return (
    <Card
      title="نمای کلی وصول مطالبات"
      variant="borderless"
      data-testid="home-dashboard"
      loading={query.isPending}
      extra={
        d?.as_of ? (
          <Typography.Text type="secondary" data-testid="dashboard-as-of">
            بر اساس اجرای روز کاری {formatJalaliDate(d.as_of)}
          </Typography.Text>
        ) : null
      }
    >
      {query.error && <Alert type="error" showIcon title={errorMessage(query.error)} />}
      {d && (
        <Row gutter={[16, 16]}>
          {!d.as_of && (
            <Col span={24}>
              <Alert
                type="info"
                showIcon
                title="هنوز اجرای روزانه‌ای انجام نشده است؛ ارقام پس از نخستین اجرا نمایش داده می‌شوند."
              />
            </Col>
          )}
          <Col xs={12} md={6}>
            <Statistic title="تسهیلات معوق" value={formatNumber(d.totals.facilities_in_arrears, true)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="مانده معوق (ریال)" value={formatNumber(d.totals.overdue_amount, true)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="قابل وصول (ریال)" value={formatNumber(d.totals.collectible_amount, true)} />
          </Col>
          <Col xs={12} md={6}>
            <Tooltip title={RECOVERY_HELP(d.recovery.window_days)}>
              <div data-testid="recovery-rate">
                <Statistic
                  title={`نرخ وصول ${toPersianDigits(d.recovery.window_days)} روزه ⓘ`}
                  value={
                    d.recovery.rate === null
                      ? '—'
                      : `${toPersianDigits((d.recovery.rate * 100).toFixed(1)).replace('.', '٫')}٪`
                  }
                />
              </div>
            </Tooltip>
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              مانده معوق به تفکیک طبقه
            </Typography.Title>
            <Chart testId="chart-by-class" option={bucketsOption(d.by_class, 'amount')} />
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              تعداد تسهیلات معوق به تفکیک روز معوق
            </Typography.Title>
            <Chart testId="chart-by-range" option={bucketsOption(d.by_range, 'count')} />
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              وصول‌شده و مانده معوق در ماه‌های اخیر
            </Typography.Title>
            {d.series.length > 0 ? (
              <Chart testId="chart-series" option={seriesOption(d.series)} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="داده‌ای برای نمایش وجود ندارد." />
            )}
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              تعداد تسهیلات معوق به تفکیک مبلغ معوق
            </Typography.Title>
            <Chart testId="chart-by-amount" option={horizontalOption(d.by_amount, 'count')} />
          </Col>
          {d.top_branches.length > 1 && (
            <Col span={24}>
              <Typography.Title level={3} style={{ fontSize: 15 }}>
                شعب با بیشترین مانده معوق
              </Typography.Title>
              <Chart
                testId="chart-top-branches"
                height={Math.max(160, d.top_branches.length * 32)}
                option={horizontalOption(d.top_branches, 'amount')}
              />
            </Col>
          )}
        </Row>
      )}
    </Card>
  );
}
