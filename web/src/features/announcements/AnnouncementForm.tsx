import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Radio, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  ANNOUNCEMENT_FILE_MAX_BYTES,
  ANNOUNCEMENT_STATUSES,
  type AnnouncementInput,
} from '@vosul/common/announcements';
import { isoFromDate } from '@vosul/common/jalali';
import {
  FormPage,
  JalaliDatePicker,
  RemoteSelect,
  TextArea,
  TextInput,
  codeRule,
  maxLength,
  required,
} from '../../components';
import { usePage } from '../../app/page';
import { api, errorMessage } from '../../lib/api';
import { PROVINCES_API } from '../org/types';
import { ANNOUNCEMENTS_API, type Announcement } from './types';

interface Values extends Omit<AnnouncementInput, 'province_id'> {
  audience: 'general' | 'province';
  province_id: number | null;
}

/** The attachment chosen in the form: sent after the fields are saved (or removed). */
interface PendingFile {
  file?: File;
  remove?: boolean;
}

const toValues = (a: Announcement): Partial<Values> => ({
  ...a,
  audience: a.province_id === null ? 'general' : 'province',
});

const toBody = (v: Values) => ({
  code: v.code,
  title: v.title,
  description: v.description || null,
  announced_on: v.announced_on,
  status: v.status,
  province_id: v.audience === 'province' ? v.province_id : null,
});

/** V10: create / edit an announcement; the optional file is uploaded once the fields are saved. */
export default function AnnouncementForm() {
  const page = usePage();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [pending, setPending] = useState<PendingFile>({});
  const back = page?.path ?? '/announcements';

  const onSaved = async (answer: unknown) => {
    const saved = answer as Announcement;
    try {
      if (pending.file) {
        const body = new FormData();
        body.append('file', pending.file);
        await api.put(`${ANNOUNCEMENTS_API}/${saved.id}/file`, body);
      } else if (pending.remove) {
        await api.delete(`${ANNOUNCEMENTS_API}/${saved.id}/file`);
      }
      // FormPage refreshed the lists before the file went: the attachment changes them (and the home page's) again.
      if (pending.file || pending.remove) void client.invalidateQueries({ queryKey: [ANNOUNCEMENTS_API] });
      setPending({});
      void navigate(back);
    } catch (e) {
      // The fields are saved; only the file failed: stay on the announcement to try again.
      void message.error(`اعلان ذخیره شد ولی فایل پیوست ثبت نشد: ${errorMessage(e)}`);
      setPending({});
      void navigate(`${back}/${saved.id}`, { replace: true });
    }
  };

  return (
    <FormPage<Announcement, Values>
      base={ANNOUNCEMENTS_API}
      toValues={toValues}
      toBody={toBody}
      initialValues={{
        status: 'active',
        audience: 'general',
        announced_on: isoFromDate(new Date()),
      }}
      onSaved={(answer) => void onSaved(answer)}
    >
      {({ record }) => (
        <>
          <Form.Item
            name="code"
            label="کد اعلان"
            rules={[required('کد اعلان'), codeRule('کد اعلان'), maxLength(20)]}
          >
            <TextInput ltr style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="title" label="عنوان" rules={[required('عنوان اعلان'), maxLength(200)]}>
            <TextInput />
          </Form.Item>
          <Form.Item name="description" label="شرح" rules={[maxLength(4000)]}>
            <TextArea rows={4} />
          </Form.Item>
          <Form.Item
            name="announced_on"
            label="تاریخ"
            rules={[{ required: true, message: 'تاریخ اعلان را وارد کنید.' }]}
            extra="اعلان از این تاریخ در صفحه اصلی کاربران نمایش داده می‌شود."
          >
            <JalaliDatePicker />
          </Form.Item>
          <Form.Item name="status" label="وضعیت">
            <Radio.Group
              optionType="button"
              options={Object.entries(ANNOUNCEMENT_STATUSES).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="audience" label="محدوده">
            <Radio.Group
              options={[
                { value: 'general', label: 'عمومی (همه کاربران)' },
                { value: 'province', label: 'یک استان' },
              ]}
            />
          </Form.Item>
          <Form.Item noStyle dependencies={['audience']}>
            {({ getFieldValue }) =>
              getFieldValue('audience') === 'province' ? (
                <Form.Item
                  name="province_id"
                  label="استان"
                  rules={[{ required: true, message: 'استان اعلان را انتخاب کنید.' }]}
                >
                  <RemoteSelect
                    base={PROVINCES_API}
                    pageSize={500}
                    search="local"
                    initialOption={
                      record?.province_id
                        ? { value: record.province_id, label: record.province_name ?? '' }
                        : null
                    }
                  />
                </Form.Item>
              ) : null
            }
          </Form.Item>
          <Form.Item label="فایل پیوست" extra="اختیاری؛ حداکثر ۵ مگابایت.">
            <AttachmentField
              current={pending.remove ? null : (record?.file_name ?? null)}
              recordId={record?.id}
              pending={pending}
              onChange={setPending}
            />
          </Form.Item>
        </>
      )}
    </FormPage>
  );
}

function AttachmentField({
  current,
  recordId,
  pending,
  onChange,
}: {
  current: string | null;
  recordId: number | undefined;
  pending: PendingFile;
  onChange: (next: PendingFile) => void;
}) {
  const { message } = App.useApp();
  const shown = pending.file?.name ?? current;
  return (
    <Space wrap>
      {shown ? (
        <Typography.Text data-testid="announcement-file-name">{shown}</Typography.Text>
      ) : (
        <Typography.Text type="secondary">فایلی پیوست نشده است</Typography.Text>
      )}
      <Upload
        showUploadList={false}
        beforeUpload={(file) => {
          if (file.size > ANNOUNCEMENT_FILE_MAX_BYTES) {
            void message.error('حجم فایل پیوست حداکثر ۵ مگابایت است.');
          } else {
            onChange({ file });
          }
          return false;
        }}
      >
        <Button>انتخاب فایل</Button>
      </Upload>
      {!pending.file && current && recordId !== undefined && (
        <Button
          onClick={() => void api.download(`${ANNOUNCEMENTS_API}/${recordId}/file`, undefined, current)}
        >
          دریافت
        </Button>
      )}
      {shown && (
        <Button danger onClick={() => onChange(pending.file ? {} : { remove: true })}>
          حذف فایل
        </Button>
      )}
    </Space>
  );
}
