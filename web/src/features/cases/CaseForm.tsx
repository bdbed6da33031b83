import { Alert, App, Form, Select } from 'antd';
import type { FormRule } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import type { ChangeRequestSubmitted } from '@vosul/common/change-requests';
import { GENDERS, type Gender } from '@vosul/common/users';
import { isValidEmail, normalizeMobile, normalizeNationalCode } from '@vosul/common/validators';
import type { OverridableField } from '@vosul/common/cases-labels';
import {
  FormPage,
  NumberText,
  RemoteSelect,
  SAVED_MESSAGE,
  TextArea,
  TextInput,
  maxLength,
  required,
} from '../../components';
import { formatCodeName, toPersianDigits } from '../../lib/format';
import { CASES_API, CASES_PATH, facilitiesPath, type Case } from './types';

interface CaseValues {
  customer_no: string;
  branch_id: number;
  first_name: string;
  last_name: string;
  father_name: string | null;
  national_id: string | null;
  birth_cert_no: string | null;
  gender: Gender | null;
  mobile: string | null;
  email: string | null;
  home_phone: string | null;
  work_phone: string | null;
  address: string | null;
  postal_code: string | null;
}

/** A rule passing an empty value, and a value the check accepts. */
const check = (ok: (v: string) => boolean, message: string): FormRule => ({
  validator: (_rule, value?: string | null) =>
    !value || ok(value) ? Promise.resolve() : Promise.reject(new Error(message)),
});

const toBody = (v: CaseValues) => ({
  customer_no: v.customer_no,
  branch_id: v.branch_id,
  first_name: v.first_name,
  last_name: v.last_name,
  father_name: v.father_name || null,
  national_id: v.national_id || null,
  birth_cert_no: v.birth_cert_no || null,
  gender: v.gender ?? null,
  mobile: v.mobile || null,
  email: v.email || null,
  home_phone: v.home_phone || null,
  work_phone: v.work_phone || null,
  address: v.address || null,
  postal_code: v.postal_code || null,
});

/** Under a field corrected by staff: what the core banking system says (the case page shows both). */
function coreNote(record: Case | undefined, field: OverridableField): ReactNode {
  if (!record?.core || !record.overridden.includes(field)) return undefined;
  const core = record.core[field];
  const shown = field === 'gender' && core ? (GENDERS[core as Gender] ?? core) : core;
  return (
    <span data-testid={`core-${field}`}>
      اصلاح‌شده در وصول؛ مقدار سامانه مرکزی: {shown ? toPersianDigits(shown) : '—'}
    </span>
  );
}

/** The server's 202: the create or edit became a change request waiting for approval (V19). */
const isSubmitted = (answer: unknown): answer is ChangeRequestSubmitted =>
  typeof answer === 'object' && answer !== null && 'change_request' in answer;

/**
 * V15 create / edit a case (a customer) with every field of the manual; staff corrections are kept as
 * overrides. For a user whose group needs approval (V19) the save is sent as a change request.
 */
export default function CaseForm() {
  const { modal } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  const back = typeof from === 'string' ? from : CASES_PATH;
  const onSaved = (answer: unknown) => {
    if (isSubmitted(answer)) {
      modal.info({
        title: 'درخواست برای تأیید ارسال شد',
        content: <span data-testid="change-request-submitted">{toPersianDigits(answer.message)}</span>,
        okText: 'متوجه شدم',
      });
    }
    void navigate(back);
  };
  return (
    <FormPage<Case, CaseValues>
      base={CASES_API}
      toBody={toBody}
      onSaved={onSaved}
      // a change request is not saved yet: only its own notice (onSaved) shows
      successMessage={(answer) => (isSubmitted(answer) ? false : SAVED_MESSAGE)}
    >
      {({ record, isEdit }) => (
        <>
          {isEdit && record && (
            <Alert
              type="info"
              style={{ marginBottom: 16 }}
              title={
                <>
                  {toPersianDigits(record.facility_count)} تسهیلات (
                  {toPersianDigits(record.active_facility_count)} فعال) —{' '}
                  <Link to={facilitiesPath(record.id)}>مشاهده تسهیلات</Link>
                  {record.core && ' — مقادیر اصلاح‌شده در وصول تا تغییر مقدار سامانه مرکزی معتبرند.'}
                </>
              }
            />
          )}
          <Form.Item name="customer_no" label="شماره مشتری" rules={[required('شماره مشتری'), maxLength(30)]}>
            <TextInput ltr disabled={isEdit && !!record?.core} style={{ maxWidth: 240 }} />
          </Form.Item>
          <Form.Item
            name="branch_id"
            label="شعبه"
            rules={[{ required: true, message: 'شعبه را انتخاب کنید.' }]}
          >
            <RemoteSelect
              base="/api/v1/branches"
              placeholder="جستجو با کد یا نام شعبه"
              style={{ maxWidth: 360 }}
              initialOption={
                record
                  ? {
                      value: record.branch_id,
                      label: formatCodeName(record.branch_code, record.branch_name) ?? '',
                    }
                  : null
              }
            />
          </Form.Item>
          <Form.Item
            name="first_name"
            label="نام"
            extra={coreNote(record, 'first_name')}
            rules={[required('نام'), maxLength(100)]}
          >
            <TextInput style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item
            name="last_name"
            label="نام خانوادگی"
            extra={coreNote(record, 'last_name')}
            rules={[required('نام خانوادگی'), maxLength(200)]}
          >
            <TextInput style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item
            name="father_name"
            label="نام پدر"
            extra={coreNote(record, 'father_name')}
            rules={[maxLength(100)]}
          >
            <TextInput style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item
            name="mobile"
            label="تلفن همراه"
            extra={coreNote(record, 'mobile')}
            rules={[
              check((v) => normalizeMobile(v) !== null, 'شماره تلفن همراه معتبر نیست (مانند 09121234567).'),
            ]}
          >
            <TextInput ltr style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item
            name="national_id"
            label="کد ملی"
            extra={coreNote(record, 'national_id')}
            rules={[
              check(
                (v) => normalizeNationalCode(v) !== null,
                'کد ملی معتبر نیست؛ ۱۰ رقم با رقم کنترل درست لازم است.',
              ),
            ]}
          >
            <NumberText maxLength={10} style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item
            name="birth_cert_no"
            label="شماره شناسنامه"
            extra={coreNote(record, 'birth_cert_no')}
            rules={[check((v) => /^\d{1,10}$/.test(v), 'شماره شناسنامه فقط رقم است (حداکثر ۱۰ رقم).')]}
          >
            <NumberText maxLength={10} style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item
            name="email"
            label="پست الکترونیکی"
            extra={coreNote(record, 'email')}
            rules={[check(isValidEmail, 'نشانی پست الکترونیکی معتبر نیست (مانند name@bank.ir).')]}
          >
            <TextInput ltr style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item
            name="address"
            label="نشانی"
            extra={coreNote(record, 'address')}
            rules={[maxLength(500)]}
          >
            <TextArea autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
          <Form.Item
            name="postal_code"
            label="کد پستی"
            extra={coreNote(record, 'postal_code')}
            rules={[check((v) => /^\d{10}$/.test(v), 'کد پستی باید ۱۰ رقم باشد.')]}
          >
            <NumberText maxLength={10} style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="home_phone" label="تلفن منزل" extra={coreNote(record, 'home_phone')}>
            <NumberText maxLength={15} style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="work_phone" label="تلفن محل کار" extra={coreNote(record, 'work_phone')}>
            <NumberText maxLength={15} style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="gender" label="جنسیت" extra={coreNote(record, 'gender')}>
            <Select<Gender | null>
              allowClear
              placeholder="انتخاب کنید"
              style={{ maxWidth: 160 }}
              options={Object.entries(GENDERS).map(([value, label]) => ({ value: value as Gender, label }))}
            />
          </Form.Item>
        </>
      )}
    </FormPage>
  );
}
