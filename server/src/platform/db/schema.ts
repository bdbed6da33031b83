import type { ColumnType, Generated } from 'kysely';

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
  loan_types: CatalogTable;
  deposit_types: CatalogTable;
  export_log: ExportLogTable;
}
