/**
 * The route registry: which screens the web has for which catalogue page (common/src/pages.ts).
 * A menu item shows when the user's groups grant the page AND it is registered here; opening a
 * registered address without the grant shows the 403 screen.
 *
 * To add a page: write its screens under `features/<module>/` (default exports) and add one entry:
 *
 *   loan_types: {
 *     path: '/loan-types',
 *     component: lazy(() => import('../features/catalog/LoanTypeList')),
 *     form: lazy(() => import('../features/catalog/LoanTypeForm')),   // at /loan-types/new and /loan-types/:id
 *   },
 *
 * Every screen is its own lazy chunk, so the login page's JavaScript stays small.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MenuSection, PageKey } from '@vosul/common/pages';

export type LazyScreen = LazyExoticComponent<ComponentType>;

export interface PageRoute {
  /** The page's address, e.g. `/provinces` (absolute, no trailing slash). */
  path: string;
  /** The page's main screen (usually a `DataTable` list). */
  component: LazyScreen;
  /** A create/edit screen (usually a `FormPage`), mounted at `{path}/new` and `{path}/:id`. */
  form?: LazyScreen;
  /** Further screens under the page, relative to `path`, e.g. `{ path: ':id/facilities', component }`. */
  children?: readonly { path: string; component: LazyScreen }[];
}

export const PAGE_ROUTES: Partial<Record<PageKey, PageRoute>> = {
  groups: {
    path: '/groups',
    component: lazy(() => import('../features/users/GroupList')),
    form: lazy(() => import('../features/users/GroupForm')),
  },
  users: {
    path: '/users',
    component: lazy(() => import('../features/users/UserList')),
    form: lazy(() => import('../features/users/UserForm')),
  },
  user_wizard: {
    path: '/user-wizard',
    component: lazy(() => import('../features/users/UserWizardPage')),
  },
  province_managers: {
    path: '/province-managers',
    component: lazy(() => import('../features/province-managers/ProvinceManagersPage')),
  },
  provinces: {
    path: '/provinces',
    component: lazy(() => import('../features/org/ProvinceList')),
    form: lazy(() => import('../features/org/ProvinceForm')),
  },
  branches: {
    path: '/branches',
    component: lazy(() => import('../features/org/BranchList')),
    form: lazy(() => import('../features/org/BranchForm')),
  },
  loan_types: {
    path: '/loan-types',
    component: lazy(() => import('../features/catalog/LoanTypeList')),
    form: lazy(() => import('../features/catalog/LoanTypeForm')),
    children: [{ path: ':id/rules', component: lazy(() => import('../features/catalog/LoanTypeRulesPage')) }],
  },
  deposit_types: {
    path: '/deposit-types',
    component: lazy(() => import('../features/catalog/DepositTypeList')),
    form: lazy(() => import('../features/catalog/DepositTypeForm')),
  },
  active_cases: {
    path: '/cases',
    component: lazy(() => import('../features/cases/CaseList')),
    form: lazy(() => import('../features/cases/CaseForm')),
    children: [
      { path: ':id/facilities', component: lazy(() => import('../features/cases/CaseFacilitiesPage')) },
    ],
  },
  change_requests: {
    path: '/change-requests',
    component: lazy(() => import('../features/change-requests/ChangeRequestList')),
    children: [
      { path: ':id', component: lazy(() => import('../features/change-requests/ChangeRequestPage')) },
    ],
  },
  overdue_cases: {
    path: '/overdue-cases',
    component: lazy(() => import('../features/overdue/OverdueCasesPage')),
  },
  maturing_facilities: {
    path: '/maturing-facilities',
    component: lazy(() => import('../features/maturing/MaturingFacilitiesPage')),
  },
  incomplete_data: {
    path: '/incomplete-data',
    component: lazy(() => import('../features/cases/IncompleteDataPage')),
  },
  case_settings: {
    path: '/case-settings',
    component: lazy(() => import('../features/case-settings/CaseSettingsPage')),
  },
  workflows: {
    path: '/workflows',
    component: lazy(() => import('../features/workflows/WorkflowList')),
    form: lazy(() => import('../features/workflows/WorkflowForm')),
  },
  announcements: {
    path: '/announcements',
    component: lazy(() => import('../features/announcements/AnnouncementList')),
    form: lazy(() => import('../features/announcements/AnnouncementForm')),
  },
  system_settings: {
    path: '/settings',
    component: lazy(() => import('../features/settings/SystemSettingsPage')),
  },
  intake_report: {
    path: '/reports/intake',
    component: lazy(() => import('../features/intake/IntakeReportPage')),
  },
  login_report: {
    path: '/reports/logins',
    component: lazy(() => import('../features/reports/LoginReportPage')),
  },
  audit_log: {
    path: '/audit',
    component: lazy(() => import('../features/audit/AuditLogPage')),
  },
  day_runs: {
    path: '/day-runs',
    component: lazy(() => import('../features/day-runs/DayRunsPage')),
  },
  notification_report: {
    path: '/notification-report',
    component: lazy(() => import('../features/notifications/NotificationReport')),
  },
  vouchers: {
    path: '/vouchers',
    component: lazy(() => import('../features/vouchers/VouchersPage')),
  },
  working_calendar: {
    path: '/working-calendar',
    component: lazy(() => import('../features/calendar/WorkingCalendarPage')),
  },
  contact_blocks: {
    path: '/contact-blocks',
    component: lazy(() => import('../features/contact-blocks/ContactBlocksPage')),
  },
  audio_files: {
    path: '/audio-files',
    component: lazy(() => import('../features/audio-files/AudioFilesPage')),
  },
  letters: {
    path: '/letters',
    component: lazy(() => import('../features/letters/LettersPage')),
  },
  declarations: {
    path: '/declarations',
    component: lazy(() => import('../features/letters/DeclarationsPage')),
  },
};

export interface OpenRoute {
  key: 'change_password';
  path: string;
  title: string;
  /** The menu section it is listed in (after the section's catalogue pages). */
  section: MenuSection;
  component: LazyScreen;
}

/** Screens every signed-in user may open (V5), listed in the menu for everyone. */
export const OPEN_ROUTES: readonly OpenRoute[] = [
  {
    key: 'change_password',
    path: '/account/password',
    title: 'تغییر کلمه عبور',
    section: 'system',
    component: lazy(() => import('../features/auth/ChangePasswordPage')),
  },
];

/** A screen reached from several pages (not in the menu): open to whoever holds any of `pages`. */
export interface SharedRoute {
  path: string;
  title: string;
  pages: readonly [PageKey, ...PageKey[]];
  component: LazyScreen;
}

export const SHARED_ROUTES: readonly SharedRoute[] = [
  {
    // opened from the active cases (V16) and the overdue cases (V33), like its API
    path: '/facilities/:facilityNo',
    title: 'تسهیلات',
    pages: ['active_cases', 'overdue_cases'],
    component: lazy(() => import('../features/cases/FacilityPage')),
  },
];

export const HomePage = lazy(() => import('../features/home/HomePage'));
export const Shell = lazy(() => import('./Shell'));
