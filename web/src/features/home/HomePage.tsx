import { Card, Col, Row, Typography } from 'antd';
import { toPersianDigits } from '@vosul/common/text';
import { fullName, useUser } from '../../app/auth';
import { Dashboard } from './Dashboard';
import { HomeAnnouncements } from './HomeAnnouncements';
import { IntakeAlerts } from './IntakeAlerts';
import { ChannelAlerts } from './ChannelAlerts';

const SCOPE_TEXT = { hq: 'ستاد', province: 'استان', branch: 'شعبه' } as const;

/** The home page (V32): the announcements that concern the user (V10) and the collection picture (T9, P8). */
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
      <ChannelAlerts />
      <Col xs={24} xxl={8}>
        <HomeAnnouncements />
      </Col>
      <Col xs={24} xxl={16}>
        <Dashboard />
      </Col>
    </Row>
  );
}
