import { Button, Result, Spin } from 'antd';

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" description="در حال بارگذاری…" />
    </div>
  );
}

export function ServerUnreachable({ onRetry }: { onRetry: () => void }) {
  return (
    <Result
      status="error"
      title="ارتباط با سرور برقرار نشد"
      subTitle="اتصال شبکه را بررسی کنید و دوباره تلاش کنید."
      extra={
        <Button type="primary" onClick={onRetry}>
          تلاش دوباره
        </Button>
      }
    />
  );
}
