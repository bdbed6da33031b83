import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../platform/deps.js';
import { authRoutes } from './auth/auth.routes.js';
import { orgRoutes } from './org/org.routes.js';
import { catalogRoutes } from './catalog/catalog.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { loginReportRoutes } from './auth/login-report.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { usersRoutes } from './users/users.routes.js';
import { casesRoutes } from './cases/cases.routes.js';
import { changeRequestsRoutes } from './change-requests/change-requests.routes.js';
import { intakeRunsRoutes } from './intake-runs/intake-runs.routes.js';
import { dayRunsRoutes } from './day-run/day-runs.routes.js';
import { vouchersRoutes } from './vouchers/vouchers.routes.js';
import { maturingRoutes } from './maturing/maturing.routes.js';
import { overdueRoutes } from './overdue/overdue.routes.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { announcementsRoutes } from './announcements/announcements.routes.js';
import { caseSettingsRoutes } from './case-settings/case-settings.routes.js';
import { notificationsRoutes } from './notifications/notifications.routes.js';
import { loanTypeRulesRoutes } from './loan-type-rules/loan-type-rules.routes.js';
import { workflowsRoutes } from './workflows/workflows.routes.js';
import { calendarRoutes } from './calendar/calendar.routes.js';
import { contactBlocksRoutes } from './contact-blocks/contact-blocks.routes.js';
import { smsRepliesRoutes } from './sms-replies/sms-replies.routes.js';
import { testSendRoutes } from './notifications/test-send.routes.js';
import { provinceManagersRoutes } from './province-managers/province-managers.routes.js';
import { audioFilesRoutes } from './audio-files/audio-files.routes.js';
import { lettersRoutes } from './letters/letters.routes.js';

/** Each capability contributes its routes under /api/v1; one line per module. */
export async function registerModules(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const modules = [
    authRoutes,
    orgRoutes,
    catalogRoutes,
    auditRoutes,
    loginReportRoutes,
    settingsRoutes,
    usersRoutes,
    casesRoutes,
    intakeRunsRoutes,
    changeRequestsRoutes,
    dayRunsRoutes,
    vouchersRoutes,
    maturingRoutes,
    overdueRoutes,
    dashboardRoutes,
    announcementsRoutes,
    caseSettingsRoutes,
    loanTypeRulesRoutes,
    notificationsRoutes,
    workflowsRoutes,
    calendarRoutes,
    contactBlocksRoutes,
    smsRepliesRoutes,
    testSendRoutes,
    provinceManagersRoutes,
    audioFilesRoutes,
    lettersRoutes,
  ];
  for (const routes of modules) await app.register(routes, { prefix: '/api/v1', deps });
}
