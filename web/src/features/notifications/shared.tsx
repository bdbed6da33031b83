import { useQuery } from '@tanstack/react-query';
import { Alert, Modal, Select, Table, Tag, Typography, type SelectProps } from 'antd';
import {
  NOTIFICATION_STATUSES,
  type Notification,
  type NotificationEvent,
  type NotificationStatus,
} from '@vosul/common/notifications';
import { providerLabel } from '@vosul/common/settings';
import { CHANNELS, RECIPIENT_ROLES } from '@vosul/common/workflows';
import type { DataColumn } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatDateTime, toPersianDigits } from '../../lib/format';

export const NOTIFICATIONS_API = '/api/v1/notifications';

/** Tag colours by outcome: delivered/answered green, waiting blue, failed red, held or cancelled grey. */
export const STATUS_COLORS: Record<NotificationStatus, string> = {
  planned: 'default',
  held: 'gold',
  queued: 'blue',
  sent: 'cyan',
  delivered: 'green',
  failed: 'red',
  expired: 'volcano',
  answered: 'green',
  no_answer: 'orange',
  busy: 'orange',
  rejected: 'red',
  printed: 'geekblue',
  filed: 'geekblue',
  served: 'green',
  cancelled: 'default',
};

export const channelOptions = Object.entries(CHANNELS).map(([value, label]) => ({ value, label }));
export const statusOptions = Object.entries(NOTIFICATION_STATUSES).map(([value, label]) => ({
  value,
  label,
}));

/** The channel filter; the form item hands it its id, value and onChange. */
export function ChannelSelect(props: SelectProps<string>) {
  return (
    <Select
      allowClear
      placeholder="همه کانال‌ها"
      options={channelOptions}
      style={{ width: 150 }}
      {...props}
    />
  );
}

export function StatusTag({ status }: { status: NotificationStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="notification-status">
      {NOTIFICATION_STATUSES[status]}
    </Tag>
  );
}

/** The columns both the report and a facility's notification details show. */
export function notificationColumns(onHistory: (n: Notification) => void): DataColumn<Notification>[] {
  return [
    { key: 'scheduled_at', title: 'زمان', type: 'datetime', sortable: false, link: false },
    {
      key: 'facility_nos',
      title: 'تسهیلات',
      type: 'latin',
      sortable: false,
      value: (n) => n.facility_nos.join('، '),
    },
    { key: 'workflow', title: 'نوع اخطار', sortable: false },
    {
      key: 'recipient',
      title: 'گیرنده',
      sortable: false,
      value: (n) => `${n.recipient_name} (${RECIPIENT_ROLES[n.recipient_role]})`,
    },
    { key: 'address', title: 'شماره / نشانی', sortable: false },
    { key: 'channel', title: 'کانال', sortable: false, value: (n) => CHANNELS[n.channel] },
    {
      key: 'status',
      title: 'وضعیت',
      sortable: false,
      render: (n) => (
        <>
          <Typography.Link onClick={() => onHistory(n)} title="تاریخچه وضعیت">
            <StatusTag status={n.status} />
          </Typography.Link>
          {n.held_reason && (
            <Typography.Text type="secondary" data-testid="held-reason">
              {toPersianDigits(n.held_reason)}
            </Typography.Text>
          )}
        </>
      ),
    },
    { key: 'status_at', title: 'زمان وضعیت', type: 'datetime', sortable: false },
    { key: 'provider', title: 'سرویس‌دهنده', sortable: false, value: (n) => providerLabel(n.provider) },
    { key: 'text', title: 'متن', sortable: false, ellipsis: true, width: 280 },
  ];
}

/** A notification's status history (P6): every change with its time, in a dialog. */
export function NotificationHistory({
  notification,
  onClose,
}: {
  notification: Notification | null;
  onClose: () => void;
}) {
  const events = useQuery({
    queryKey: [NOTIFICATIONS_API, 'events', notification?.id],
    queryFn: ({ signal }) =>
      api.get<{ items: NotificationEvent[] }>(`${NOTIFICATIONS_API}/${notification!.id}/events`, undefined, {
        signal,
      }),
    enabled: notification !== null,
  });
  return (
    <Modal
      open={notification !== null}
      onCancel={onClose}
      footer={null}
      title="تاریخچه وضعیت اطلاع‌رسانی"
      width={640}
      destroyOnHidden
    >
      {notification && (
        <Typography.Paragraph>
          {CHANNELS[notification.channel]} به {toPersianDigits(notification.recipient_name)} —{' '}
          {toPersianDigits(notification.text)}
        </Typography.Paragraph>
      )}
      {events.error ? (
        <Alert type="error" showIcon title={errorMessage(events.error)} role="alert" />
      ) : (
        <Table<NotificationEvent>
          data-testid="notification-events"
          rowKey={(e, i) => `${e.at}:${i}`}
          size="small"
          bordered
          pagination={false}
          loading={events.isFetching}
          dataSource={events.data?.items ?? []}
          locale={{ emptyText: events.isPending ? ' ' : 'هنوز تغییری در وضعیت ثبت نشده است' }}
          columns={[
            { key: 'at', title: 'زمان', render: (_, e) => formatDateTime(e.at, true) },
            { key: 'status', title: 'وضعیت', render: (_, e) => <StatusTag status={e.status} /> },
            {
              key: 'detail',
              title: 'توضیح',
              render: (_, e) => (e.detail ? toPersianDigits(e.detail) : ''),
            },
          ]}
        />
      )}
    </Modal>
  );
}
