import { Button, Layout, Menu, Space, Typography, type MenuProps } from 'antd';
import { Suspense, useMemo } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { fullName, useLogout, useUser } from './auth';
import { FullPageSpin } from './Loading';
import { buildMenu, menuKeyOf } from './menu';
import { ScreenBoundary } from './ScreenBoundary';
import { toPersianDigits } from '../lib/format';

export const PRODUCT_NAME = 'سامانه پیگیری و وصول مطالبات (وصول)';

/** The frame of every signed-in screen: header (product, user, logout), the side menu, the screen. */
export default function Shell() {
  const user = useUser();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const groups = useMemo(() => buildMenu(user.pages), [user.pages]);
  const selected = menuKeyOf(location.pathname, groups);

  const items: MenuProps['items'] = useMemo(
    () => [
      { key: 'home', label: <Link to="/">صفحه اصلی</Link> },
      ...groups.map((group) => ({
        key: `section:${group.section}`,
        label: group.title,
        children: group.entries.map((entry) => ({
          key: entry.key,
          label: <Link to={entry.path}>{entry.title}</Link>,
        })),
      })),
    ],
    [groups],
  );

  const onLogout = () =>
    logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 16 }}
      >
        <Link to="/" className="vosul-brand">
          {PRODUCT_NAME}
        </Link>
        <Space size="middle">
          <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
            {toPersianDigits(fullName(user))}
          </Typography.Text>
          <Button size="small" onClick={onLogout} loading={logout.isPending}>
            خروج از سامانه
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          width={260}
          breakpoint="lg"
          collapsedWidth={0}
          style={{ borderInlineEnd: '1px solid #e4eaee' }}
        >
          <nav aria-label="منوی اصلی">
            <Menu
              mode="inline"
              items={items}
              selectedKeys={selected ? [selected] : []}
              defaultOpenKeys={groups.map((g) => `section:${g.section}`)}
              style={{ borderInlineEnd: 0, paddingBlock: 8 }}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          <ScreenBoundary resetKey={location.pathname}>
            <Suspense fallback={<FullPageSpin />}>
              <Outlet />
            </Suspense>
          </ScreenBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
