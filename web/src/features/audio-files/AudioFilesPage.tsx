/**
 * «فایل‌های صوتی» (V30): the recorded messages the phone system plays — upload (WAV or MP3, checked by
 * the server from the content, at most two minutes), the list with each file's length, playback in
 * the browser, and multi-select delete. HQ uploads and deletes.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import {
  AUDIO_FILE_MAX_BYTES,
  AUDIO_FORMATS,
  AUDIO_MAX_SECONDS,
  formatDuration,
  type AudioFile,
} from '@vosul/common/audio-files';
import { DataTable, TextInput, codeRule, maxLength, required, useFormSave } from '../../components';
import { api } from '../../lib/api';
import { formatNumber, toPersianDigits } from '../../lib/format';
import { AUDIO_FILES_API } from './api';

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${toPersianDigits((bytes / 1024 / 1024).toFixed(1))} مگابایت`
    : `${formatNumber(Math.ceil(bytes / 1024), true)} کیلوبایت`;

export default function AudioFilesPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [uploading, setUploading] = useState(false);

  return (
    <>
      <DataTable<AudioFile>
        base={AUDIO_FILES_API}
        createPath={null}
        editPath={null}
        exportable={false}
        searchHint="کد، عنوان یا بارگذاری‌کننده"
        defaultSort={{ sort: 'uploaded_at', order: 'desc' }}
        toolbar={
          <Button type="primary" onClick={() => setUploading(true)}>
            بارگذاری فایل صوتی
          </Button>
        }
        columns={[
          { key: 'code', title: 'کد', type: 'latin' },
          { key: 'title', title: 'عنوان' },
          { key: 'format', title: 'قالب', render: (a) => AUDIO_FORMATS[a.format] },
          { key: 'duration_ms', title: 'مدت', render: (a) => formatDuration(a.duration_ms) },
          { key: 'byte_size', title: 'حجم', render: (a) => sizeText(a.byte_size) },
          { key: 'uploaded_by_name', title: 'بارگذاری‌کننده' },
          { key: 'uploaded_at', title: 'زمان بارگذاری', type: 'datetime' },
          {
            key: 'play',
            title: 'پخش',
            sortable: false,
            render: (a) => (
              <audio
                controls
                preload="none"
                src={`${AUDIO_FILES_API}/${a.id}/content`}
                aria-label={`پخش ${a.title}`}
                style={{ height: 32, maxWidth: 260 }}
              />
            ),
          },
        ]}
      />
      {uploading && (
        <UploadModal
          onClose={() => setUploading(false)}
          onSaved={() => {
            setUploading(false);
            void message.success('فایل صوتی بارگذاری شد.');
            void client.invalidateQueries({ queryKey: [AUDIO_FILES_API] });
          }}
        />
      )}
    </>
  );
}

interface Values {
  code: string;
  title: string;
  file: UploadFile[];
}

function UploadModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<Values>();
  const { save, saving, error } = useFormSave(form, async (values: Values) => {
    const body = new FormData();
    // the fields first: the server reads them before the file
    body.append('code', values.code);
    body.append('title', values.title);
    body.append('file', values.file[0]!.originFileObj as File);
    await api.post(AUDIO_FILES_API, body);
    onSaved();
  });
  const maxMb = toPersianDigits(AUDIO_FILE_MAX_BYTES / 1024 / 1024);

  return (
    <Modal
      open
      title="بارگذاری فایل صوتی"
      onCancel={onClose}
      destroyOnHidden
      okText="بارگذاری"
      cancelText="انصراف"
      confirmLoading={saving}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        name="audio-file"
        layout="vertical"
        initialValues={{ code: '', title: '', file: [] }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item
          name="code"
          label="کد فایل صوتی"
          extra="حروف لاتین و رقم؛ مرکز تلفن فایل را با همین نام پخش می‌کند."
          rules={[required('کد فایل صوتی'), codeRule('کد فایل صوتی')]}
        >
          <TextInput ltr maxLength={20} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="title" label="عنوان فایل صوتی" rules={[required('عنوان فایل صوتی'), maxLength(200)]}>
          <TextInput maxLength={200} />
        </Form.Item>
        <Form.Item
          name="file"
          label="فایل"
          valuePropName="fileList"
          getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
          extra={`WAV یا MP3، حداکثر ${toPersianDigits(AUDIO_MAX_SECONDS)} ثانیه و ${maxMb} مگابایت.`}
          rules={[{ required: true, message: 'فایل صوتی را انتخاب کنید' }]}
        >
          <Upload accept=".wav,.mp3,audio/wav,audio/mpeg" beforeUpload={() => false} maxCount={1}>
            <Button>انتخاب فایل</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
