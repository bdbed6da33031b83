import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate, type Location } from 'react-router-dom';
import { normalizeText } from '@vosul/common/text';
import { useLogin, useSession } from '../../app/auth';
import { ApiError, errorMessage } from '../../lib/api';

export const PRODUCT_NAME = 'سامانه پیگیری و وصول مطالبات (وصول)';

interface LoginValues {
  username: string;
  password: string;
}

/** Where to go after login: the address the user first asked for, unless it was the login page. */
function destination(state: unknown): string {
  const from = (state as { from?: Location } | null)?.from;
  if (!from || from.pathname === '/login') return '/';
  return from.pathname + from.search + from.hash;
}

export default function LoginPage() {
  const { user } = useSession();
  const login = useLogin();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `ورود به سامانه | وصول`;
  }, []);

  if (user) return <Navigate to={destination(location.state)} replace />;

  const onFinish = (values: LoginValues) => {
    setError(null);
    login.mutate(
      { username: normalizeText(values.username), password: values.password },
      {
        onSuccess: () => void navigate(destination(location.state), { replace: true }),
        onError: (e) => {
          if (e instanceof ApiError && e.status === 401 && e.code === 'unknown') {
            setError('نام کاربری یا رمز عبور نادرست است.');
          } else {
            setError(errorMessage(e));
          }
        },
      },
    );
  };

  return (
    <div className="vosul-login-bg">
      <Card style={{ width: '100%', maxWidth: 420, boxShadow: '0 8px 30px rgba(22, 63, 85, 0.12)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={1} style={{ fontSize: 20, marginBottom: 4, color: '#163f55' }}>
            {PRODUCT_NAME}
          </Typography.Title>
          <Typography.Text type="secondary">ورود به سامانه</Typography.Text>
        </div>
        {error && (
          <Alert
            type="error"
            title={error}
            showIcon
            style={{ marginBottom: 16 }}
            role="alert"
            data-testid="login-error"
          />
        )}
        <Form<LoginValues>
          name="login"
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          autoComplete="on"
        >
          <Form.Item
            label="نام کاربری"
            name="username"
            rules={[{ required: true, whitespace: true, message: 'نام کاربری را وارد کنید.' }]}
          >
            <Input autoComplete="username" autoFocus className="vosul-ltr" size="large" />
          </Form.Item>
          <Form.Item
            label="رمز عبور"
            name="password"
            rules={[{ required: true, message: 'رمز عبور را وارد کنید.' }]}
          >
            <Input.Password autoComplete="current-password" size="large" className="vosul-ltr" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            ورود به سامانه
          </Button>
        </Form>
      </Card>
    </div>
  );
}
