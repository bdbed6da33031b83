import type { ColumnType, Generated } from 'kysely';
import type { NotificationStatus } from '@vosul/common/notifications';

/** Kysely's view of the schema in `migrations/`; keep it in step with every migration. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface StoredFilesTable {
  id: Generated<string>;
  media_type: string;
  byte_size: number;
  sha256: string;
  content: Buffer;
  created_at: Timestamp;
}

export interface ProvincesTable {
  id: Generated<number>;
  code: string;
  name: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BranchesTable {
  id: Generated<number>;
  code: string;
  name: string;
  province_id: number;
  parent_id: number | null;
  address: string | null;
  ip: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccessGroupsTable {
  id: Generated<number>;
  code: string | null;
  title: string;
  /** V19: users of the group change cases through change requests (0006) */
  needs_approval: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccessGroupPagesTable {
  group_id: number;
  page_key: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  user_type: 'full_time' | 'part_time';
  gender: 'M' | 'F' | null;
  branch_id: number | null;
  province_id: number | null;
  personnel_code: string | null;
  national_code: string | null;
  birth_cert_no: string | null;
  phones: string | null;
  mobile: string | null;
  email: string | null;
  address: string | null;
  photo_file_id: string | null;
  is_active: Generated<boolean>;
  password_changed_at: Timestamp;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserGroupsTable {
  user_id: number;
  group_id: number;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface LoginEventsTable {
  id: Generated<string>;
  username: string;
  user_id: number | null;
  succeeded: boolean;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_username: string | null;
  ip: string | null;
  request_id: string | null;
  entity: string;
  entity_id: string;
  action: 'create' | 'update' | 'delete';
  before: Json | null;
  after: Json | null;
}

export interface CatalogTable {
  id: Generated<number>;
  code: string;
  title: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A loan type: the catalogue entry and the daily run's parameters (0015). */
export interface LoanTypesTable extends CatalogTable {
  past_due_after: Generated<number>;
  deferred_after: Generated<number>;
  doubtful_after: Generated<number>;
  penalty_rate: string | null;
  day_basis: Generated<360 | 365>;
  class_holds: Generated<'overdue' | 'unpaid'>;
  head_current: Generated<string>;
  head_past_due: Generated<string>;
  head_deferred: Generated<string>;
  head_doubtful: Generated<string>;
}

export interface ExportLogTable {
  id: Generated<string>;
  at: Timestamp;
  user_id: number | null;
  username: string;
  ip: string | null;
  request_id: string | null;
  name: string;
  filter: Json;
  row_count: number | null;
}

export interface SnapshotImportsTable {
  id: Generated<string>;
  as_of: string;
  source: Generated<'cli' | 'upload' | 'drop_folder' | 'demo'>;
  folder: string | null;
  forced: Generated<boolean>;
  status: Generated<'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'refused'>;
  message: string | null;
  started_at: Timestamp;
  finished_at: Date | string | null;
  seconds: string | null;
  counts: Generated<Json>;
  rejects: Generated<number>;
  closed: Generated<number>;
  /** `pid@backend_start` of the importing session (0005) */
  backend: string | null;
  /** intake runs (0007): retries made and allowed, the next attempt, progress, refusal, uploader */
  retries: Generated<number>;
  max_retries: Generated<number>;
  next_attempt_at: Date | string | null;
  progress: Generated<number>;
  stage: string | null;
  refusal: string | null;
  uploaded_by: number | null;
  uploaded_by_name: string | null;
  original_name: string | null;
  queued_at: Timestamp;
}

export interface ImportRejectsTable {
  id: Generated<string>;
  import_id: string;
  file: string;
  line: number;
  reason: string;
}

/** A staff correction kept over the snapshot until the core banking value changes. */
export interface FieldOverride {
  value: string | null;
  core_value: string | null;
}

export interface CustomersTable {
  id: Generated<string>;
  customer_no: string;
  kind: Generated<'person' | 'company'>;
  first_name: string | null;
  last_name: string;
  father_name: string | null;
  national_id: string | null;
  birth_cert_no: string | null;
  gender: 'M' | 'F' | null;
  mobile: string | null;
  email: string | null;
  home_phone: string | null;
  work_phone: string | null;
  address: string | null;
  postal_code: string | null;
  branch_id: number;
  incomplete_reasons: Generated<string[]>;
  /** field → FieldOverride */
  overrides: ColumnType<Record<string, FieldOverride>, string | undefined, string>;
  status: Generated<'active' | 'archived'>;
  import_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type FacilityStatus = 'active' | 'settled' | 'written_off' | 'closed';
export type CbiClass = 'current' | 'past_due' | 'deferred' | 'doubtful';

export interface FacilitiesTable {
  id: Generated<string>;
  facility_no: string;
  customer_id: string;
  branch_id: number;
  loan_type_id: number;
  granted_on: string;
  principal: string;
  currency: Generated<string>;
  annual_rate: string | null;
  installment_count: number | null;
  status: Generated<FacilityStatus>;
  closed_on: string | null;
  import_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InstallmentsTable {
  /** with seq, the key (0010) */
  facility_id: string;
  seq: number;
  due_on: string;
  amount: string;
  paid_amount: Generated<string>;
  paid_on: string | null;
}

export interface GuarantorsTable {
  id: Generated<string>;
  facility_id: string;
  seq: number;
  customer_id: string | null;
  first_name: string | null;
  last_name: string | null;
  national_id: string | null;
  mobile: string | null;
  address: string | null;
  incomplete_reasons: Generated<string[]>;
}

export interface PaymentsTable {
  id: Generated<string>;
  facility_id: string;
  paid_on: string;
  amount: string;
  reference: string | null;
  occurrence: Generated<number>;
  import_id: string | null;
  created_at: Timestamp;
}

export interface AccountBalancesTable {
  id: Generated<string>;
  customer_id: string;
  account_no: string;
  account_type: string | null;
  on_date: string;
  balance: string;
}

/** V19 maker–checker (0006): a case create or edit waiting for, or decided by, a reviewer. */
export interface ChangeRequestsTable {
  id: Generated<string>;
  kind: 'create' | 'update';
  customer_id: string | null;
  customer_no: string;
  full_name: string;
  mobile: string | null;
  branch_id: number;
  proposed: ColumnType<Record<string, unknown>, string, string>;
  original: ColumnType<Record<string, unknown>, string | undefined, string>;
  base_version: number | null;
  status: Generated<'pending' | 'accepted' | 'rejected'>;
  requested_by: number | null;
  requested_by_name: string;
  requested_at: Timestamp;
  reviewed_by: number | null;
  reviewed_by_name: string | null;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  review_note: string | null;
  version: Generated<number>;
}

export interface DB {
  settings: SettingsTable;
  stored_files: StoredFilesTable;
  provinces: ProvincesTable;
  branches: BranchesTable;
  access_groups: AccessGroupsTable;
  access_group_pages: AccessGroupPagesTable;
  users: UsersTable;
  user_groups: UserGroupsTable;
  sessions: SessionsTable;
  login_events: LoginEventsTable;
  audit_log: AuditLogTable;
  loan_types: LoanTypesTable;
  deposit_types: CatalogTable;
  export_log: ExportLogTable;
  snapshot_imports: SnapshotImportsTable;
  import_rejects: ImportRejectsTable;
  customers: CustomersTable;
  facilities: FacilitiesTable;
  installments: InstallmentsTable;
  guarantors: GuarantorsTable;
  payments: PaymentsTable;
  account_balances: AccountBalancesTable;
  change_requests: ChangeRequestsTable;
  day_runs: DayRunsTable;
  /** the figures carried to the books' date (a view over facility_figures_stored, migration 0039) */
  facility_figures: FacilityFiguresTable;
  facility_figures_stored: FacilityFiguresStoredTable;
  figures_clock: { one: Generated<boolean>; as_of: string };
  facility_class_changes: FacilityClassChangesTable;
  ledger_balances: LedgerBalancesTable;
  vouchers: VouchersTable;
  voucher_lines: VoucherLinesTable;
}

// ---- the daily run (0015) ----------------------------------------------------------------------

export interface DayRunsTable {
  id: Generated<string>;
  business_date: string;
  kind: 'forward' | 'latest' | 'what_if' | null;
  source: 'cli' | 'ui' | 'schedule';
  opening_vouchers: Generated<boolean>;
  status: Generated<'queued' | 'running' | 'succeeded' | 'failed' | 'refused'>;
  started_by: number | null;
  started_by_name: string | null;
  snapshot_id: string | null;
  queued_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
  seconds: string | null;
  progress: Generated<string>;
  stage: string | null;
  facilities: number | null;
  class_changes: number | null;
  vouchers: number | null;
  message: string | null;
  backend: string | null;
}

export interface FacilityFiguresTable {
  facility_id: string;
  as_of: string;
  overdue_installments: number;
  overdue_days: number;
  overdue_amount: string;
  unpaid_amount: string;
  penalty: string;
  collectible_amount: string;
  cbi_class: CbiClass | null;
  ledger_class: CbiClass | null;
  booked_key: string | null;
  // the run's inputs for the next date (0021)
  next_due_on: string | null;
  overdue_unpaid_days: Generated<string>;
  loan_type_id: number | null;
  penalty_rate_e4: Generated<string>;
  branch_id: number | null;
  status: string | null;
  oldest_due_on: string | null;
}

/** As written by the run, as of its own `as_of` (0039: with what carries it to a later date). */
export interface FacilityFiguresStoredTable extends FacilityFiguresTable {
  day_basis: Generated<number>;
  past_due_after: Generated<number>;
  deferred_after: Generated<number>;
  doubtful_after: Generated<number>;
}

export interface FacilityClassChangesTable {
  id: Generated<string>;
  facility_id: string;
  business_date: string;
  run_id: string;
  from_class: CbiClass | null;
  to_class: CbiClass;
  overdue_days: number;
}

export interface LedgerBalancesTable {
  facility_id: string;
  head: string;
  class: CbiClass;
  amount: string;
  opening: Generated<string>;
  core_posted: Generated<string>;
}

export interface VouchersTable {
  id: Generated<string>;
  facility_id: string;
  business_date: string;
  run_id: string;
  kind: 'transfer' | 'opening';
  exported_at: Date | null;
  created_at: Timestamp;
}

export interface VoucherLinesTable {
  voucher_id: string;
  head: string;
  class: CbiClass;
  debit: Generated<string>;
  credit: Generated<string>;
}

// ---- the home page (0017): announcements, case settings, the run's summaries ------------------

export interface DB {
  announcements: AnnouncementsTable;
  overdue_day_ranges: OverdueDayRangesTable;
  overdue_amount_thresholds: OverdueAmountThresholdsTable;
  day_summary_dates: DaySummaryDatesTable;
  day_summaries: DaySummariesTable;
  month_collections: MonthCollectionsTable;
  day_collections: DayCollectionsTable;
}

export interface AnnouncementsTable {
  id: Generated<number>;
  code: string;
  title: string;
  description: string | null;
  announced_on: string;
  author_id: number | null;
  author_name: string;
  status: Generated<'active' | 'inactive'>;
  province_id: number | null;
  file_id: string | null;
  file_name: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OverdueDayRangesTable {
  position: number;
  from_days: number;
  to_days: number | null;
  title: string;
}

export interface OverdueAmountThresholdsTable {
  position: number;
  amount: string;
}

export interface DaySummaryDatesTable {
  business_date: string;
  run_id: string | null;
}

export interface DaySummariesTable {
  business_date: string;
  branch_id: number;
  dimension: 'total' | 'class' | 'range' | 'amount';
  bucket: string;
  facilities: number;
  overdue_amount: string;
  collectible_amount: string;
  unpaid_amount: string;
}

export interface MonthCollectionsTable {
  month: string;
  branch_id: number;
  amount: string;
}

export interface DayCollectionsTable {
  paid_on: string;
  branch_id: number;
  amount: string;
}

// ---- the working-day calendar (0023): official holidays and closures -----------------------------

export interface DB {
  holidays: HolidaysTable;
}

export interface HolidaysTable {
  id: Generated<number>;
  day: string;
  title: string;
  province_id: number | null;
  kind: 'official' | 'closure';
  created_by: number | null;
  created_at: Timestamp;
  version: Generated<number>;
  updated_at: Timestamp;
}

// ---- workflows and templates (0022) ----------------------------------------------------------------

export interface DB {
  workflows: WorkflowsTable;
  workflow_loan_types: WorkflowLoanTypesTable;
  workflow_branches: WorkflowBranchesTable;
  workflow_templates: WorkflowTemplatesTable;
}

export type WorkflowChannel = 'sms' | 'call' | 'email' | 'intro_letter' | 'warning_notice' | 'declaration';

export interface WorkflowsTable {
  id: Generated<number>;
  title: string;
  from_day: number;
  to_day: number | null;
  min_overdue_amount: ColumnType<string, string | undefined, string>;
  channels: WorkflowChannel[];
  recipients: ('borrower' | 'guarantors')[];
  per_day: Generated<number>;
  /** `HH:MM:SS` as PostgreSQL answers a `time` */
  start_time: string;
  interval_minutes: Generated<number>;
  repeat_every_days: Generated<number>;
  message_kind: Generated<'reminder' | 'overdue_notice' | 'legal_warning'>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowLoanTypesTable {
  workflow_id: number;
  loan_type_id: number;
}

export interface WorkflowBranchesTable {
  workflow_id: number;
  branch_id: number;
}

export interface WorkflowTemplatesTable {
  workflow_id: number;
  channel: WorkflowChannel;
  recipient_role: 'borrower' | 'guarantor';
  text: string;
  /** a call's recorded message (0036) */
  audio_file_id: ColumnType<number | null, number | null | undefined, number | null>;
}

// ---- the notification outbox (0024) ------------------------------------------------------------

export interface DB {
  notifications: NotificationsTable;
  notification_events: NotificationEventsTable;
}

export interface NotificationsTable {
  id: Generated<string>;
  occasion_key: string;
  business_date: string;
  workflow_id: number | null;
  facility_id: string;
  facility_nos: string[];
  branch_id: number;
  recipient_role: 'borrower' | 'guarantor';
  recipient_name: string;
  person_key: string;
  channel: WorkflowChannel;
  address: string;
  text: string;
  status: Generated<NotificationStatus>;
  held_reason: string | null;
  attempt: Generated<number>;
  max_attempts: Generated<number>;
  retry_minutes: Generated<number>;
  scheduled_at: Timestamp;
  window_ends_at: Timestamp;
  next_try_at: Timestamp;
  tries: Generated<number>;
  last_error: string | null;
  provider: string | null;
  provider_id: string | null;
  sent_at: Date | null;
  status_at: Timestamp;
  created_at: Timestamp;
}

export interface NotificationEventsTable {
  id: Generated<string>;
  notification_id: string;
  status: NotificationStatus;
  at: Timestamp;
  detail: string | null;
}

// ---- the notification planner (0025): stays of facilities in workflows, Jalali days ----------------

export interface DB {
  workflow_stays: WorkflowStaysTable;
  jalali_days: JalaliDaysTable;
}

export interface WorkflowStaysTable {
  workflow_id: number;
  facility_id: string;
  started_on: string;
  next_on: string | null;
  last_sent_on: string | null;
  ended_on: string | null;
}

export interface JalaliDaysTable {
  day: string;
  jalali: string;
}

// ---- the do-not-contact list (0026) -----------------------------------------------------------------

export interface DB {
  contact_blocks: ContactBlocksTable;
}

export interface ContactBlocksTable {
  id: Generated<number>;
  national_code: string | null;
  mobile: string | null;
  person_name: Generated<string>;
  reason: string;
  until: string | null;
  created_by: number | null;
  created_by_name: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

// ---- province managers and their daily activity mail (0035) --------------------------------------

export interface DB {
  province_managers: ProvinceManagersTable;
  province_manager_mails: ProvinceManagerMailsTable;
}

export interface ProvinceManagersTable {
  province_id: number;
  manager_name: string;
  email: string | null;
  mobile: string | null;
  daily_mail: Generated<boolean>;
  updated_by: number | null;
  updated_by_name: Generated<string>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProvinceManagerMailsTable {
  province_id: number;
  business_date: string;
  status: 'sent' | 'no_smtp' | 'failed';
  email: string;
  figures: Json;
  message_id: string | null;
  error: string | null;
  attempted_at: Timestamp;
}

// ---- audio files and Asterisk calls (0036) ---------------------------------------------------------

export interface DB {
  audio_files: AudioFilesTable;
}

export interface AudioFilesTable {
  id: Generated<number>;
  code: string;
  title: string;
  format: 'wav' | 'mp3';
  duration_ms: number;
  file_id: string;
  uploaded_by: number | null;
  uploaded_by_name: string;
  uploaded_at: Timestamp;
}

// ---- SMS from phones and the «۱۱» opt-out (0034) ---------------------------------------------------

export interface DB {
  inbound_sms: InboundSmsTable;
  sms_opt_outs: SmsOptOutsTable;
}

export interface InboundSmsTable {
  id: Generated<string>;
  provider: string;
  source: string;
  line: string;
  text: string;
  opt_out: boolean;
  received_at: Timestamp;
}

export interface SmsOptOutsTable {
  mobile: string;
  line: string;
  inbound_sms_id: string;
  opted_out_at: Timestamp;
}
// ---- letters and declarations (0037): what people recorded on the way ------------------------------

export interface DB {
  letter_marks: LetterMarksTable;
}

export interface LetterMarksTable {
  notification_id: string;
  printed_at: Date | null;
  printed_by: number | null;
  printed_by_name: string | null;
  delivered_on: string | null;
  delivered_by: number | null;
  filed_on: string | null;
  tracking_no: string | null;
  filed_by: number | null;
  served_on: string | null;
  served_by: number | null;
  updated_at: Timestamp;
}
