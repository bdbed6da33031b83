import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Col } from 'antd';
import { Link } from 'react-router-dom';
import type { PageKey } from '@vosul/common';
import { useCanOpen } from '../../app/auth';
import { api } from '../../lib/api';

/**
 * A banner of the home page over something that needs seeing to, for those who can open the page
 * that sees to it: the items of `path`, one line each, and a link to that page; nothing when none.
 */
export function HomeAlert<T>(props: {
  page: PageKey;
  path: string;
  type: 'error' | 'warning';
  testId: string;
  title: string;
  line: (item: T) => { key: string | number; text: ReactNode };
  link: { to: string; text: string };
}) {
  const canOpen = useCanOpen()(props.page);
  const alerts = useQuery({
    queryKey: [props.path],
    enabled: canOpen,
    queryFn: ({ signal }) => api.get<{ items: T[] }>(props.path, undefined, { signal }),
  });
  const items = alerts.data?.items ?? [];
  if (!canOpen || items.length === 0) return null;
  return (
    <Col span={24}>
      <Alert
        type={props.type}
        showIcon
        data-testid={props.testId}
        title={props.title}
        description={
          <>
            {items.map((item) => {
              const { key, text } = props.line(item);
              return <div key={key}>{text}</div>;
            })}
            <Link to={props.link.to}>{props.link.text}</Link>
          </>
        }
      />
    </Col>
  );
}
