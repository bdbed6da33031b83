import { INTAKE_REFUSAL_LABELS, INTAKE_RUN_STATUS_LABELS } from '@vosul/common/intake-labels';
import type { IntakeRun } from '@vosul/common/intake';
import { formatDateTime } from '../../lib/format';
import { HomeAlert } from './HomeAlert';

/**
 * For those with the intake report: intake runs refused (the 10% closing guard, an older snapshot…)
 * or failed after their retries since the last successful one — the book may be out of date.
 */
export function IntakeAlerts() {
  return (
    <HomeAlert<IntakeRun>
      page="intake_report"
      path="/api/v1/intake-runs/alerts"
      type="warning"
      testId="intake-alerts"
      title="دریافت اطلاعات از کربنکینگ انجام نشد"
      line={(run) => ({
        key: run.id,
        text:
          `${formatDateTime(run.queued_at)} — ${INTAKE_RUN_STATUS_LABELS[run.status]}` +
          (run.refusal ? `: ${INTAKE_REFUSAL_LABELS[run.refusal] ?? run.refusal}` : ''),
      })}
      link={{ to: '/reports/intake', text: 'مشاهده گزارش دریافت اطلاعات' }}
    />
  );
}
