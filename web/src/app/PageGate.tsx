import { lazy, useEffect, type ReactNode } from 'react';
import type { PageKey } from '@vosul/common/pages';
import { useSession } from './auth';
import type { PageInfo } from './page';

const ErrorScreen = lazy(() => import('./ErrorScreens'));

export const APP_NAME = 'وصول';

/**
 * Shows a routed screen only when the user's groups grant its page; otherwise the 403 screen.
 * `page` null means the address matched nothing (404). `open` screens need no grant.
 */
export function PageGate({
  page,
  open = false,
  children,
}: {
  page: PageInfo | null;
  open?: boolean;
  children?: ReactNode;
}) {
  const { user } = useSession();
  const allowed = !!page && (open || !!user?.pages.includes(page.key as PageKey));
  const title = !page ? 'صفحه یافت نشد' : allowed ? page.title : 'دسترسی غیرمجاز';
  useEffect(() => {
    document.title = `${title} | ${APP_NAME}`;
  }, [title]);
  if (!page) return <ErrorScreen kind="not_found" />;
  if (!allowed) return <ErrorScreen kind="forbidden" />;
  return <>{children}</>;
}
