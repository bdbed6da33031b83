import { App, Button, Form, Input, Radio, Select } from 'antd';
import type { FormRule } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { toPersianDigits } from '@vosul/common/text';
import {
  GENDERS,
  PASSWORD_MIN_LENGTH,
  USER_TYPES,
  USERNAME_PATTERN,
  type Gender,
  type UserType,
} from '@vosul/common/users';
import { isValidEmail, normalizeMobile, normalizeNationalCode } from '@vosul/common/validators';
import { useUser } from '../../app/auth';
import { usePage } from '../../app/page';
import {
  FormPage,
  NumberText,
  RemoteSelect,
  TextArea,
  TextInput,
  maxLength,
  required,
} from '../../components';
import { api, errorMessage } from '../../lib/api';
import { GroupsSelect } from './GroupsSelect';
import { PhotoField, type PendingPhoto } from './PhotoField';
import { SetPasswordDialog } from './SetPasswordDialog';
import { USERS_API, type User } from './types';

type Place = 'branch' | 'province' | 'hq';
const PLACE_LABELS: Record<Place, string> = { branch: 'شعبه', province: 'استان', hq: 'ستاد' };

interface UserValues {
  username: string;
  password?: string;
  first_name: string;
  last_name: string;
  user_type: UserType;
  group_ids: number[];
  address: string | null;
  place: Place;
  branch_id: number | null;
  province_id: number | null;
  gender: Gender | null;
  personnel_code: string | null;
  national_code: string | null;
  birth_cert_no: string | null;
  phones: string | null;
  mobile: string | null;
  email: string | null;
}

/** A rule passing an empty value, and a value the check accepts. */
const check = (ok: (v: string) => boolean, message: string): FormRule => ({
  validator: (_rule, value?: string | null) =>
    !value || ok(value) ? Promise.resolve() : Promise.reject(new Error(message)),
});

const toValues = (u: User): Partial<UserValues> => ({
  ...u,
  group_ids: u.groups.map((g) => g.id),
  place: u.branch_id !== null ? 'branch' : u.province_id !== null ? 'province' : 'hq',
});

const toBody = (v: UserValues, record: User | undefined) => ({
  username: v.username,
  ...(record ? {} : { password: v.password }),
  first_name: v.first_name,
  last_name: v.last_name,
  user_type: v.user_type,
  group_ids: v.group_ids,
  address: v.address || null,
  branch_id: v.place === 'branch' ? v.branch_id : null,
  province_id: v.place === 'province' ? v.province_id : null,
  gender: v.gender ?? null,
  personnel_code: v.personnel_code || null,
  national_code: v.national_code || null,
  birth_cert_no: v.birth_cert_no || null,
  phones: v.phones || null,
  mobile: v.mobile || null,
  email: v.email || null,
});

/** V3 create / edit a user, with every field of the manual; the photo is sent after the fields are saved. */
export default function UserForm() {
  const me = useUser();
  const page = usePage();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [photo, setPhoto] = useState<PendingPhoto>({});
  const [passwordOf, setPasswordOf] = useState<User | null>(null);
  const places: Place[] =
    me.scope === 'hq'
      ? ['branch', 'province', 'hq']
      : me.scope === 'province'
        ? ['branch', 'province']
        : ['branch'];
  const back = page?.path ?? '/users';

  const onSaved = async (answer: unknown) => {
    const saved = answer as User;
    try {
      if (photo.file) {
        const body = new FormData();
        body.append('photo', photo.file);
        await api.put<User>(`${USERS_API}/${saved.id}/photo`, body);
      } else if (photo.remove) {
        await api.delete(`${USERS_API}/${saved.id}/photo`);
      }
      setPhoto({});
      void navigate(back);
    } catch (e) {
      // The fields are saved; only the photo failed: stay on the user's page to try again.
      void message.error(`اطلاعات کاربر ذخیره شد ولی عکس ثبت نشد: ${errorMessage(e)}`);
      setPhoto({});
      void navigate(`${back}/${saved.id}`, { replace: true });
    }
  };

  return (
    <>
      <FormPage<User, UserValues>
        base={USERS_API}
        toValues={toValues}
        toBody={toBody}
        initialValues={{ user_type: 'full_time', place: places[0], group_ids: [] }}
        onSaved={(answer) => void onSaved(answer)}
      >
        {({ record, isEdit }) => (
          <>
            <Form.Item
              name="username"
              label="نام کاربری"
              rules={[
                required('نام کاربری'),
                { min: 3, message: 'نام کاربری دست‌کم ۳ نویسه است.' },
                maxLength(50),
                check(
                  (v) => USERNAME_PATTERN.test(v),
                  'نام کاربری فقط شامل حروف لاتین، رقم و نویسه‌های . _ - است.',
                ),
              ]}
            >
              <TextInput ltr autoComplete="off" style={{ maxWidth: 280 }} />
            </Form.Item>
            {isEdit ? (
              <Form.Item label="کلمه عبور">
                <Button onClick={() => setPasswordOf(record ?? null)}>تغییر کلمه عبور</Button>
              </Form.Item>
            ) : (
              <Form.Item
                name="password"
                label="کلمه عبور"
                extra={`دست‌کم ${toPersianDigits(PASSWORD_MIN_LENGTH)} نویسه، غیر از نام کاربری.`}
                rules={[
                  { required: true, message: 'کلمه عبور را وارد کنید.' },
                  {
                    min: PASSWORD_MIN_LENGTH,
                    message: `کلمه عبور باید دست‌کم ${toPersianDigits(PASSWORD_MIN_LENGTH)} نویسه باشد.`,
                  },
                ]}
              >
                <Input.Password autoComplete="new-password" className="vosul-ltr" style={{ maxWidth: 280 }} />
              </Form.Item>
            )}
            <Form.Item name="first_name" label="نام" rules={[required('نام'), maxLength(100)]}>
              <TextInput style={{ maxWidth: 320 }} />
            </Form.Item>
            <Form.Item
              name="last_name"
              label="نام خانوادگی"
              rules={[required('نام خانوادگی'), maxLength(100)]}
            >
              <TextInput style={{ maxWidth: 320 }} />
            </Form.Item>
            <Form.Item
              name="user_type"
              label="نوع کاربر"
              rules={[{ required: true, message: 'نوع کاربر را انتخاب کنید.' }]}
            >
              <Radio.Group options={Object.entries(USER_TYPES).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item
              name="group_ids"
              label="گروه‌های دسترسی"
              rules={[
                { required: true, type: 'array', min: 1, message: 'دست‌کم یک گروه دسترسی انتخاب کنید.' },
              ]}
            >
              <GroupsSelect current={record?.groups} />
            </Form.Item>
            <Form.Item name="address" label="نشانی" rules={[maxLength(500)]}>
              <TextArea autoSize={{ minRows: 2, maxRows: 4 }} />
            </Form.Item>
            <Form.Item
              name="place"
              label="محل خدمت"
              rules={[{ required: true, message: 'محل خدمت را انتخاب کنید.' }]}
            >
              <Radio.Group options={places.map((p) => ({ value: p, label: PLACE_LABELS[p] }))} />
            </Form.Item>
            <Form.Item noStyle dependencies={['place']}>
              {({ getFieldValue }) => {
                const place = getFieldValue('place') as Place | undefined;
                if (place === 'branch') {
                  return (
                    <Form.Item
                      name="branch_id"
                      label="کد شعبه"
                      rules={[{ required: true, message: 'شعبه را انتخاب کنید.' }]}
                    >
                      <RemoteSelect
                        base="/api/v1/branches"
                        placeholder="جستجو با کد یا نام شعبه"
                        style={{ maxWidth: 360 }}
                        initialOption={
                          record?.branch_id
                            ? {
                                value: record.branch_id,
                                label: `${record.branch_code} - ${record.branch_name}`,
                              }
                            : null
                        }
                      />
                    </Form.Item>
                  );
                }
                if (place === 'province') {
                  return (
                    <Form.Item
                      name="province_id"
                      label="کد استان"
                      rules={[{ required: true, message: 'استان را انتخاب کنید.' }]}
                    >
                      <RemoteSelect
                        base="/api/v1/provinces"
                        pageSize={500}
                        search="local"
                        style={{ maxWidth: 360 }}
                        initialOption={
                          record?.province_id && !record.branch_id
                            ? {
                                value: record.province_id,
                                label: `${record.province_code} - ${record.province_name}`,
                              }
                            : null
                        }
                      />
                    </Form.Item>
                  );
                }
                return null;
              }}
            </Form.Item>
            <Form.Item name="gender" label="جنسیت">
              <Select<Gender | null>
                allowClear
                placeholder="انتخاب کنید"
                style={{ maxWidth: 160 }}
                options={Object.entries(GENDERS).map(([value, label]) => ({ value: value as Gender, label }))}
              />
            </Form.Item>
            <Form.Item name="personnel_code" label="کد پرسنلی" rules={[maxLength(30)]}>
              <TextInput ltr style={{ maxWidth: 200 }} />
            </Form.Item>
            <Form.Item
              name="national_code"
              label="کد ملی"
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
              rules={[check((v) => /^\d{1,10}$/.test(v), 'شماره شناسنامه فقط رقم است (حداکثر ۱۰ رقم).')]}
            >
              <NumberText maxLength={10} style={{ maxWidth: 200 }} />
            </Form.Item>
            <Form.Item
              name="phones"
              label="تلفن"
              extra="چند شماره را با ویرگول جدا کنید."
              rules={[maxLength(100)]}
            >
              <TextInput ltr style={{ maxWidth: 360 }} />
            </Form.Item>
            <Form.Item
              name="mobile"
              label="تلفن همراه"
              rules={[
                check((v) => normalizeMobile(v) !== null, 'شماره تلفن همراه معتبر نیست (مانند ۰۹۱۲۱۲۳۴۵۶۷).'),
              ]}
            >
              <TextInput ltr inputMode="tel" style={{ maxWidth: 200 }} />
            </Form.Item>
            <Form.Item
              name="email"
              label="پست الکترونیکی"
              rules={[check(isValidEmail, 'نشانی پست الکترونیکی معتبر نیست (مانند name@bank.ir).')]}
            >
              <TextInput ltr inputMode="email" style={{ maxWidth: 320 }} />
            </Form.Item>
            <Form.Item label="عکس">
              <PhotoField
                userId={record?.id}
                hasPhoto={record?.has_photo ?? false}
                value={photo}
                onChange={setPhoto}
              />
            </Form.Item>
          </>
        )}
      </FormPage>
      <SetPasswordDialog user={passwordOf} onClose={() => setPasswordOf(null)} />
    </>
  );
}
