import { useQuery } from '@tanstack/react-query';
import { Alert, Col } from 'antd';
import { Link } from 'react-router-dom';
import type { ChannelAlerts as ChannelAlertList } from '@vosul/common/notifications';
import { CHANNELS } from '@vosul/common/workflows';
import { useCanOpen } from '../../app/auth';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';

const ALERTS_API = '/api/v1/notifications/channel-alerts';

/**
 * For administrators: channels whose provider refused the account (out of credit, a wrong key …).
 * Their messages wait; nothing goes out on them until the account is seen to.
 */
export function ChannelAlerts() {
  const canOpen = useCanOpen()('system_settings');
  const alerts = useQuery({
    queryKey: [ALERTS_API],
    enabled: canOpen,
    queryFn: ({ signal }) => api.get<ChannelAlertList>(ALERTS_API, undefined, { signal }),
  });
  const items = alerts.data?.items ?? [];
  if (!canOpen || items.length === 0) return null;
  return (
    <Col span={24}>
      <Alert
        type="error"
        showIcon
        data-testid="channel-alerts"
        title="ارسال اطلاع‌رسانی متوقف شده است"
        description={
          <>
            {items.map((a) => (
              <div key={a.channel}>
                {CHANNELS[a.channel]} از {formatDateTime(a.since)}: {a.reason}
              </div>
            ))}
            <Link to="/settings">بررسی حساب سرویس‌دهنده در تنظیمات سامانه</Link>
          </>
        }
      />
    </Col>
  );
}
