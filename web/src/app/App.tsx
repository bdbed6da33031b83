import { LoadingOutlined } from '@ant-design/icons';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import fa_IR from 'antd/locale/fa_IR';
import { Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { PAGES } from '@vosul/common/pages';
import { setUnauthorizedHandler } from '../lib/api';
import { SESSION_KEY, useSession } from './auth';
import { FullPageSpin, ServerUnreachable } from './Loading';
import { PageContext, type PageInfo } from './page';
import {
  HomePage,
  OPEN_ROUTES,
  PAGE_ROUTES,
  SHARED_ROUTES,
  Shell,
  type LazyScreen,
  type SharedRoute,
} from './routes';
import { queryClient } from './queryClient';
import { theme } from './theme';
import LoginPage from '../features/auth/LoginPage';
import { PageGate } from './PageGate';

/** Any 401 (session expired, logged out elsewhere): forget the user, so the router shows the login page. */
function SessionWatcher() {
  const { message } = AntApp.useApp();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (queryClient.getQueryData(SESSION_KEY)) {
        void message.warning('نشست شما به پایان رسیده است؛ دوباره وارد شوید.');
      }
      queryClient.setQueryData(SESSION_KEY, null);
    });
    return () => setUnauthorizedHandler(null);
  }, [message]);
  return null;
}

/** Everything but the login page: needs a session; renders the shell around the routed screen. */
function RequireAuth() {
  const { user, isLoading, error, refetch } = useSession();
  const location = useLocation();
  if (isLoading) return <FullPageSpin />;
  if (error && user === undefined) return <ServerUnreachable onRetry={() => void refetch()} />;
  if (!user) return <Navigate to="/login" replace state={{ from: location }} />;
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Shell />
    </Suspense>
  );
}

function screen(page: PageInfo, Component: LazyScreen, open = false): ReactNode {
  return (
    <PageContext.Provider value={page}>
      <PageGate page={page} open={open}>
        <Component />
      </PageGate>
    </PageContext.Provider>
  );
}

/** The `<Route>`s of every registered catalogue page: main screen, form, further screens. */
function pageRoutes(): ReactNode[] {
  const routes: ReactNode[] = [];
  for (const def of PAGES) {
    const route = PAGE_ROUTES[def.key];
    if (!route) continue;
    const page: PageInfo = {
      key: def.key,
      title: def.title,
      section: def.section,
      path: route.path,
      hasForm: !!route.form,
    };
    routes.push(<Route key={def.key} path={route.path} element={screen(page, route.component)} />);
    if (route.form) {
      routes.push(
        <Route key={`${def.key}:new`} path={`${route.path}/new`} element={screen(page, route.form)} />,
      );
      routes.push(
        <Route key={`${def.key}:id`} path={`${route.path}/:id`} element={screen(page, route.form)} />,
      );
    }
    for (const child of route.children ?? []) {
      routes.push(
        <Route
          key={`${def.key}:${child.path}`}
          path={`${route.path}/${child.path}`}
          element={screen(page, child.component)}
        />,
      );
    }
  }
  return routes;
}

/** A screen of several pages, gated by the first of them the user holds. */
function SharedScreen({ route }: { route: SharedRoute }) {
  const { user } = useSession();
  const key = route.pages.find((k) => user?.pages.includes(k)) ?? route.pages[0];
  const section = PAGES.find((p) => p.key === key)?.section;
  const path = PAGE_ROUTES[key]?.path ?? route.path;
  return screen({ key, title: route.title, section, path }, route.component);
}

/**
 * A button's spinner, named in Persian. Also: antd's own spinner leaves with a width animation that
 * never ends when a save answers within a few milliseconds, leaving an unseen icon named "loading"
 * inside the button for good (a screen reader then reads «loading ذخیره»); this one has no motion.
 */
const BUTTON = { loadingIcon: <LoadingOutlined aria-label="در حال انجام" /> };

const HOME: PageInfo = { key: 'home', title: 'صفحه اصلی', path: '/' };

export function App() {
  return (
    <ConfigProvider direction="rtl" locale={fa_IR} theme={theme} button={BUTTON}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionWatcher />
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route element={<RequireAuth />}>
                <Route index element={screen(HOME, HomePage, true)} />
                {OPEN_ROUTES.map((r) => (
                  <Route
                    key={r.key}
                    path={r.path}
                    element={screen(
                      { key: r.key, title: r.title, section: r.section, path: r.path },
                      r.component,
                      true,
                    )}
                  />
                ))}
                {pageRoutes()}
                {SHARED_ROUTES.map((r) => (
                  <Route key={r.path} path={r.path} element={<SharedScreen route={r} />} />
                ))}
                <Route path="/home" element={<Navigate to="/" replace />} />
                <Route path="*" element={<PageGate page={null} open />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
