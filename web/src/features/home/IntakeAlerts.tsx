import { useQuery } from '@tanstack/react-query';
import { Alert, Col } from 'antd';
import { Link } from 'react-router-dom';
import { INTAKE_REFUSAL_LABELS, INTAKE_RUN_STATUS_LABELS } from '@vosul/common/intake-labels';
import type { IntakeRun } from '@vosul/common/intake';
import { useCanOpen } from '../../app/auth';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';

const ALERTS_API = '/api/v1/intake-runs/alerts';

/**
 * For those with the intake report: intake runs refused (the 10% closing guard, an older snapshot…)
 * or failed after their retries since the last successful one — the book may be out of date.
 */
export function IntakeAlerts() {
  const canOpen = useCanOpen()('intake_report');
  const alerts = useQuery({
    queryKey: [ALERTS_API],
    enabled: canOpen,
    queryFn: ({ signal }) => api.get<{ items: IntakeRun[] }>(ALERTS_API, undefined, { signal }),
  });
  const items = alerts.data?.items ?? [];
  if (!canOpen || items.length === 0) return null;
  return (
    <Col span={24}>
      <Alert
        type="warning"
        showIcon
        data-testid="intake-alerts"
        title="دریافت اطلاعات از کربنکینگ انجام نشد"
        description={
          <>
            {items.map((run) => (
              <div key={run.id}>
                {formatDateTime(run.queued_at)} — {INTAKE_RUN_STATUS_LABELS[run.status]}
                {run.refusal ? `: ${INTAKE_REFUSAL_LABELS[run.refusal] ?? run.refusal}` : ''}
              </div>
            ))}
            <Link to="/reports/intake">مشاهده گزارش دریافت اطلاعات</Link>
          </>
        }
      />
    </Col>
  );
}
