import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Changing it (the address) clears a shown error. */
  resetKey: string;
  children: ReactNode;
}

/** Catches a screen's render error (or a chunk that failed to load after an upgrade). */
export class ScreenBoundary extends Component<Props, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title="نمایش این صفحه با خطا روبه‌رو شد"
        subTitle="صفحه را دوباره بارگذاری کنید؛ اگر خطا تکرار شد، با پشتیبانی تماس بگیرید."
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            بارگذاری دوباره
          </Button>
        }
      />
    );
  }
}
