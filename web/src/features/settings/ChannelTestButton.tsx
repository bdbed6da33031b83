import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import type { ChannelTestResult } from '@vosul/common/settings';
import { api } from '../../lib/api';

/**
 * «آزمایش اتصال» of one saved account (issue 6 point 7): asks the provider something harmless and
 * shows what it answered, word for word. It tests what is saved, not what is typed and unsaved.
 */
export function ChannelTestButton({ group }: { group: 'sms' | 'sms_backup' | 'email' | 'ivr' }) {
  const test = useMutation({
    mutationFn: () => api.post<ChannelTestResult>('/api/v1/settings/channels/test', { group }),
  });
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
      <Button onClick={() => test.mutate()} loading={test.isPending} data-testid={`channel-test-${group}`}>
        آزمایش اتصال (با تنظیمات ذخیره‌شده)
      </Button>
      {test.data && (
        <Alert
          type={test.data.ok ? 'success' : 'error'}
          showIcon
          data-testid={`channel-test-${group}-result`}
          title={test.data.message}
        />
      )}
      {test.error && <Alert type="error" showIcon title={test.error.message} />}
    </Space>
  );
}
