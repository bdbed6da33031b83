import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Modal,
  Popconfirm,
  Result,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  type AlertProps,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { CHANGE_REQUEST_KINDS, CHANGE_REQUEST_STATUSES } from '@vosul/common/change-requests-labels';
import { useCanOpen } from '../../app/auth';
import { TextArea } from '../../components';
import { api, ApiError, errorMessage } from '../../lib/api';
import { formatCodeName, formatDateTime, toPersianDigits } from '../../lib/format';
import { CASES_PATH } from '../cases/types';
import {
  CHANGE_REQUESTS_API,
  CHANGE_REQUESTS_PATH,
  STATUS_COLORS,
  type ChangeRequest,
  type ChangeRequestField,
} from './types';

const EMPTY = <span style={{ color: '#a0aab0' }}>—</span>;
const shown = (value: string | null) => (value === null ? EMPTY : toPersianDigits(value));

/** A notice above the request's details. */
const Notice = (props: AlertProps) => <Alert showIcon style={{ marginBottom: 16 }} {...props} />;

/** V19: one change request — old values beside the new, changed fields in red — and its review. */
export default function ChangeRequestPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const canOpen = useCanOpen();
  const { message } = App.useApp();
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const key = [CHANGE_REQUESTS_API, 'record', String(id)];

  const request = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<ChangeRequest>(`${CHANGE_REQUESTS_API}/${id}`, undefined, { signal }),
    staleTime: 0,
  });

  const review = useMutation({
    mutationFn: (decision: { action: 'accept' | 'reject'; note: string }) =>
      api.post<ChangeRequest>(`${CHANGE_REQUESTS_API}/${id}/${decision.action}`, {
        note: decision.note || null,
      }),
    onSuccess: async (answer, decision) => {
      client.setQueryData(key, answer);
      setRejecting(false);
      setNote('');
      void message.success(decision.action === 'accept' ? 'درخواست پذیرفته و اعمال شد.' : 'درخواست رد شد.');
      await client.invalidateQueries({ queryKey: [CHANGE_REQUESTS_API] });
    },
    onError: async (e) => {
      setRejecting(false);
      // A refusal (decided meanwhile, stale) is shown with the request as it is now.
      if (e instanceof ApiError && e.status === 409) await request.refetch();
    },
  });

  const back = () => void navigate(CHANGE_REQUESTS_PATH);

  if (request.isPending) {
    return (
      <Card variant="borderless">
        <Spin description="در حال بارگذاری…">
          <div style={{ height: 160 }} />
        </Spin>
      </Card>
    );
  }
  if (request.error) {
    const notFound = request.error instanceof ApiError && request.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? 'درخواست مورد نظر یافت نشد' : errorMessage(request.error)}
        extra={<Button onClick={back}>بازگشت به فهرست</Button>}
      />
    );
  }

  const r = request.data;
  const pending = r.status === 'pending';
  const canReview = pending && !r.own;

  return (
    <Card variant="borderless" style={{ maxWidth: 1000 }} styles={{ body: { padding: 24 } }}>
      <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20, marginBottom: 16 }}>
        درخواست‌ها - درخواست شماره {toPersianDigits(r.id)}
      </Typography.Title>

      {pending && r.stale_reason && (
        <Notice
          type="warning"
          data-testid="stale-warning"
          title="این درخواست کهنه شده است و پذیرفته نمی‌شود"
          description={toPersianDigits(r.stale_reason)}
        />
      )}
      {pending && r.own && (
        <Notice
          type="info"
          data-testid="own-request"
          title="این درخواست را خودتان ثبت کرده‌اید؛ تأیید یا رد آن با کاربر دیگری است."
        />
      )}
      {review.error && (
        <Notice type="error" role="alert" data-testid="review-error" title={errorMessage(review.error)} />
      )}

      <Descriptions
        bordered
        size="small"
        column={2}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'kind', label: 'نوع درخواست', children: CHANGE_REQUEST_KINDS[r.kind] },
          {
            key: 'status',
            label: 'وضعیت',
            children: (
              <Tag color={STATUS_COLORS[r.status]} data-testid="request-status">
                {CHANGE_REQUEST_STATUSES[r.status]}
              </Tag>
            ),
          },
          {
            key: 'customer',
            label: 'شماره مشتری',
            children: (
              <>
                {toPersianDigits(r.customer_no)}
                {r.customer_id !== null && canOpen('active_cases') && (
                  <>
                    {' — '}
                    <Link to={`${CASES_PATH}/${r.customer_id}`}>مشاهده پرونده</Link>
                  </>
                )}
              </>
            ),
          },
          { key: 'branch', label: 'شعبه', children: formatCodeName(r.branch_code, r.branch_name) },
          { key: 'requested_by', label: 'درخواست‌دهنده', children: toPersianDigits(r.requested_by.name) },
          { key: 'requested_at', label: 'تاریخ درخواست', children: formatDateTime(r.requested_at) },
          {
            key: 'reviewed_by',
            label: 'بررسی‌کننده',
            children: r.reviewed_by ? toPersianDigits(r.reviewed_by.name) : EMPTY,
          },
          {
            key: 'reviewed_at',
            label: 'تاریخ بررسی',
            children: r.reviewed_at ? formatDateTime(r.reviewed_at) : EMPTY,
          },
          ...(r.review_note
            ? [{ key: 'note', label: 'توضیح بررسی', span: 2, children: toPersianDigits(r.review_note) }]
            : []),
        ]}
      />

      <Typography.Paragraph type="secondary">
        فیلدهایی که درخواست تغییر می‌دهد با رنگ قرمز مشخص شده‌اند.
      </Typography.Paragraph>
      <Table<ChangeRequestField>
        rowKey="field"
        size="small"
        bordered
        pagination={false}
        dataSource={r.fields}
        rowClassName={(f) => (f.changed ? 'vosul-changed-field' : '')}
        columns={[
          { key: 'label', title: 'فیلد', width: 180, render: (_, f) => f.label },
          {
            key: 'old',
            title: r.kind === 'create' ? 'مقدار پیشین' : 'مقدار پیشین (هنگام درخواست)',
            render: (_, f) => shown(f.old_value),
          },
          {
            key: 'new',
            title: 'مقدار جدید',
            render: (_, f) =>
              f.changed ? (
                <span data-testid={`changed-${f.field}`} style={{ color: '#cf1322', fontWeight: 600 }}>
                  {shown(f.new_value)}
                </span>
              ) : (
                shown(f.new_value)
              ),
          },
        ]}
      />

      <Space style={{ marginTop: 24 }}>
        {canReview && (
          <Popconfirm
            title="این تغییرات روی پرونده اعمال شود؟"
            okText="بله"
            cancelText="انصراف"
            onConfirm={() => review.mutate({ action: 'accept', note: '' })}
            disabled={!!r.stale_reason}
          >
            <Button type="primary" loading={review.isPending} disabled={!!r.stale_reason}>
              پذیرفتن
            </Button>
          </Popconfirm>
        )}
        {canReview && (
          <Button danger onClick={() => setRejecting(true)} disabled={review.isPending}>
            رد درخواست
          </Button>
        )}
        <Button onClick={back}>بازگشت به فهرست</Button>
      </Space>

      <Modal
        open={rejecting}
        title="رد درخواست"
        okText="رد درخواست"
        cancelText="انصراف"
        okButtonProps={{ danger: true, loading: review.isPending }}
        onOk={() => review.mutate({ action: 'reject', note })}
        onCancel={() => setRejecting(false)}
      >
        <Typography.Paragraph>با رد درخواست، هیچ تغییری در پرونده داده نمی‌شود.</Typography.Paragraph>
        <label htmlFor="review-note">توضیح (اختیاری)</label>
        <TextArea
          id="review-note"
          value={note}
          onChange={setNote}
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 4 }}
        />
      </Modal>
    </Card>
  );
}
