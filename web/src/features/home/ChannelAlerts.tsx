import type { ChannelAlerts as ChannelAlertList } from '@vosul/common/notifications';
import { providerLabel } from '@vosul/common/settings';
import { CHANNELS } from '@vosul/common/workflows';
import { formatDateTime } from '../../lib/format';
import { HomeAlert } from './HomeAlert';

/**
 * For administrators: providers that refused their account (out of credit, a wrong key …). Their
 * messages wait, or go through the second provider, until the account is seen to.
 */
export function ChannelAlerts() {
  return (
    <HomeAlert<ChannelAlertList['items'][number]>
      page="system_settings"
      path="/api/v1/notifications/channel-alerts"
      type="error"
      testId="channel-alerts"
      title="سرویس‌دهنده اطلاع‌رسانی حساب را نپذیرفت"
      line={(a) => ({
        key: a.provider,
        text: `${CHANNELS[a.channel]} — ${providerLabel(a.provider)}، از ${formatDateTime(a.since)}: ${a.reason}`,
      })}
      link={{ to: '/settings', text: 'بررسی حساب سرویس‌دهنده در تنظیمات سامانه' }}
    />
  );
}
