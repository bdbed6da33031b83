import { useQuery } from '@tanstack/react-query';
import { Alert, Col } from 'antd';
import { Link } from 'react-router-dom';
import type { ChannelAlerts as ChannelAlertList } from '@vosul/common/notifications';
import { providerLabel } from '@vosul/common/settings';
import { CHANNELS } from '@vosul/common/workflows';
import { useCanOpen } from '../../app/auth';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';

const ALERTS_API = '/api/v1/notifications/channel-alerts';

/**
 * For administrators: providers that refused their account (out of credit, a wrong key …). Their
 * messages wait, or go through the second provider, until the account is seen to.
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
        title="سرویس‌دهنده اطلاع‌رسانی حساب را نپذیرفت"
        description={
          <>
            {items.map((a) => (
              <div key={a.provider}>
                {CHANNELS[a.channel]} — {providerLabel(a.provider)}، از {formatDateTime(a.since)}: {a.reason}
              </div>
            ))}
            <Link to="/settings">بررسی حساب سرویس‌دهنده در تنظیمات سامانه</Link>
          </>
        }
      />
    </Col>
  );
}
