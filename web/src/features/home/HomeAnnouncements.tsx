import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Tag, Typography } from 'antd';
import type { Announcement } from '@vosul/common/announcements';
import { api } from '../../lib/api';
import { formatJalaliDate, toPersianDigits } from '../../lib/format';
import { ANNOUNCEMENTS_API } from '../announcements/types';

const CURRENT_API = `${ANNOUNCEMENTS_API}/current`;

/** V10 on the home page: the active announcements that concern the user (general or their province's). */
export function HomeAnnouncements() {
  const current = useQuery({
    // Under the announcements' key: a save or delete there (which invalidates [ANNOUNCEMENTS_API]) refreshes this too.
    queryKey: [ANNOUNCEMENTS_API, 'current'],
    queryFn: ({ signal }) => api.get<{ items: Announcement[] }>(CURRENT_API, undefined, { signal }),
  });
  const items = current.data?.items ?? [];
  return (
    <Card title="اعلان‌ها" variant="borderless" data-testid="home-announcements" loading={current.isPending}>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="اعلانی برای نمایش وجود ندارد." />
      ) : (
        <List
          itemLayout="vertical"
          dataSource={items}
          renderItem={(a) => (
            <List.Item key={a.id} data-testid="home-announcement">
              <List.Item.Meta
                title={
                  <>
                    {toPersianDigits(a.title)}{' '}
                    <Tag>{a.province_name ? toPersianDigits(a.province_name) : 'عمومی'}</Tag>
                  </>
                }
                description={`${formatJalaliDate(a.announced_on)} — ${toPersianDigits(a.author_name)}`}
              />
              {a.description && (
                <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 4 }}>
                  {toPersianDigits(a.description)}
                </Typography.Paragraph>
              )}
              {a.has_file && (
                <Button
                  size="small"
                  onClick={() =>
                    void api.download(`${ANNOUNCEMENTS_API}/${a.id}/file`, undefined, a.file_name ?? 'file')
                  }
                >
                  دریافت پیوست {a.file_name ? `(${a.file_name})` : ''}
                </Button>
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
