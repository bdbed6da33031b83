import type { ValueKind } from './snapshot-values.js';

/**
 * The files and columns of a core banking snapshot (interchange.md, "Snapshot folder"): one
 * definition for the import (which stages and checks them) and the demo-data generator (which
 * writes them). A column's kind says how its values are read.
 */
export interface SnapshotColumn {
  readonly name: string;
  readonly kind: ValueKind;
}

export interface FileSpec {
  /** the staging table */
  readonly table: string;
  readonly optional: boolean;
  readonly columns: readonly SnapshotColumn[];
  /** columns the header must carry */
  readonly required: readonly string[];
}

const text = (...names: string[]): SnapshotColumn[] => names.map((name) => ({ name, kind: 'text' }));
const col = (name: string, kind: ValueKind): SnapshotColumn => ({ name, kind });

export const SNAPSHOT_FILES = {
  'branches.csv': {
    table: 'stg_branches',
    optional: true,
    columns: text('branch_code', 'name', 'province_code', 'province_name', 'parent_branch_code', 'address'),
    required: ['branch_code', 'name', 'province_code'],
  },
  'loan_types.csv': {
    table: 'stg_loan_types',
    optional: true,
    columns: text('loan_type_code', 'title'),
    required: ['loan_type_code', 'title'],
  },
  'customers.csv': {
    table: 'stg_customers',
    optional: false,
    columns: [
      ...text('customer_no', 'kind', 'first_name', 'last_name', 'father_name'),
      col('national_id', 'national_id'),
      ...text('birth_cert_no', 'gender'),
      col('mobile', 'mobile'),
      col('email', 'email'),
      ...text('home_phone', 'work_phone', 'address'),
      col('postal_code', 'postal'),
      ...text('branch_code'),
    ],
    required: ['customer_no', 'last_name', 'branch_code'],
  },
  'facilities.csv': {
    table: 'stg_facilities',
    optional: false,
    columns: [
      ...text('facility_no', 'customer_no', 'branch_code', 'loan_type_code'),
      col('granted_on', 'date'),
      col('principal', 'amount'),
      ...text('currency', 'annual_rate'),
      col('installment_count', 'int'),
      ...text('status'),
    ],
    required: ['facility_no', 'customer_no', 'branch_code', 'loan_type_code', 'granted_on', 'principal'],
  },
  'installments.csv': {
    table: 'stg_installments',
    optional: false,
    columns: [
      ...text('facility_no'),
      col('seq', 'int'),
      col('due_on', 'date'),
      col('amount', 'amount'),
      col('paid_amount', 'amount'),
      col('paid_on', 'date'),
    ],
    required: ['facility_no', 'seq', 'due_on', 'amount'],
  },
  'guarantors.csv': {
    table: 'stg_guarantors',
    optional: false,
    columns: [
      ...text('facility_no', 'customer_no', 'first_name', 'last_name'),
      col('national_id', 'national_id'),
      col('mobile', 'mobile'),
      ...text('address'),
    ],
    required: ['facility_no'],
  },
  'payments.csv': {
    table: 'stg_payments',
    optional: true,
    columns: [...text('facility_no'), col('paid_on', 'date'), col('amount', 'amount'), ...text('reference')],
    required: ['facility_no', 'paid_on', 'amount'],
  },
  'account_balances.csv': {
    table: 'stg_account_balances',
    optional: true,
    columns: [
      ...text('customer_no', 'account_no', 'account_type'),
      col('on_date', 'date'),
      col('balance', 'amount'),
    ],
    required: ['customer_no', 'account_no', 'on_date', 'balance'],
  },
} as const satisfies Record<string, FileSpec>;

export type SnapshotFile = keyof typeof SNAPSHOT_FILES;

/** The column names of a file, in the order the demo-data generator writes them. */
export const columnNames = (file: SnapshotFile): string[] => SNAPSHOT_FILES[file].columns.map((c) => c.name);

const STAGED_TYPE: Record<ValueKind, string> = {
  text: 'text',
  date: 'date',
  amount: 'bigint',
  int: 'integer',
  mobile: 'text',
  national_id: 'text',
  postal: 'text',
  email: 'text',
};

/**
 * The staging columns of a file: a text column as normalised; a checked column as its stored form
 * (NULL when empty or invalid) beside `<name>_bad`, the normalised value when it was invalid.
 */
export function stagingColumns(spec: FileSpec): { name: string; type: string }[] {
  return spec.columns.flatMap((c) =>
    c.kind === 'text'
      ? [{ name: c.name, type: 'text' }]
      : [
          { name: c.name, type: STAGED_TYPE[c.kind] },
          { name: `${c.name}_bad`, type: 'text' },
        ],
  );
}
