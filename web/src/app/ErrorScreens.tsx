import { Button, Result, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';

const COPY = {
  forbidden: {
    status: '403',
    testId: 'forbidden',
    title: 'دسترسی به این صفحه برای شما مجاز نیست',
    subTitle: 'گروه‌های دسترسی شما این صفحه را در بر نمی‌گیرند؛ در صورت نیاز با مدیر سامانه تماس بگیرید.',
  },
  not_found: {
    status: '404',
    testId: 'not-found',
    title: 'صفحه مورد نظر یافت نشد',
    subTitle: 'نشانی واردشده در سامانه وجود ندارد.',
  },
} as const;

/** The 403 and 404 screens inside the shell; the title is a level-1 heading (test id `forbidden` / `not-found`). */
export default function ErrorScreen({ kind }: { kind: keyof typeof COPY }) {
  const copy = COPY[kind];
  const navigate = useNavigate();
  return (
    <div data-testid={copy.testId}>
      <Result
        status={copy.status}
        title={
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {copy.title}
          </Typography.Title>
        }
        subTitle={copy.subTitle}
        extra={
          <Button type="primary" onClick={() => void navigate('/')}>
            بازگشت به صفحه اصلی
          </Button>
        }
      />
    </div>
  );
}
