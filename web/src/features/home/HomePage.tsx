import { Card, Col, Empty, Row, Typography } from 'antd';
import { toPersianDigits } from '@vosul/common/text';
import { fullName, useUser } from '../../app/auth';
import { IntakeAlerts } from './IntakeAlerts';

const SCOPE_TEXT = { hq: 'ستاد', province: 'استان', branch: 'شعبه' } as const;

/**
 * The home page (V32). Announcements (V10) and the collection picture at a glance (T9) arrive in
 * later issues: they go in the marked regions below.
 */
export default function HomePage() {
  const user = useUser();
  const place =
    user.scope === 'branch' && user.branch_code
      ? `${SCOPE_TEXT.branch} ${user.branch_code}`
      : user.scope === 'province' && user.province_code
        ? `${SCOPE_TEXT.province} ${user.province_code}`
        : SCOPE_TEXT[user.scope];
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card variant="borderless">
          <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
            {fullName(user)}، به سامانه پیگیری و وصول مطالبات خوش آمدید
          </Typography.Title>
          <Typography.Text type="secondary">
            محل خدمت: {toPersianDigits(place)} — از منوی کنار صفحه، بخش مورد نظر خود را انتخاب کنید.
          </Typography.Text>
        </Card>
      </Col>
      <IntakeAlerts />
      {/* Region for announcements (V10, later issue). */}
      <Col xs={24} lg={10}>
        <Card title="اعلان‌ها" variant="borderless" data-testid="home-announcements">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="اعلانی برای نمایش وجود ندارد." />
        </Card>
      </Col>
      {/* Region for the dashboard: the collection picture at a glance (V32/T9, later issue). */}
      <Col xs={24} lg={14}>
        <Card title="نمای کلی وصول مطالبات" variant="borderless" data-testid="home-dashboard">
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description="داشبورد وصول در این بخش نمایش داده می‌شود."
          />
        </Card>
      </Col>
    </Row>
  );
}
