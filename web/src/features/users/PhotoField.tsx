import { Alert, Avatar, Button, Space, Upload } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { PHOTO_MAX_BYTES, PHOTO_MEDIA_TYPES } from '@vosul/common/users';
import { photoUrl } from './types';

/** A photo chosen in the form, sent after the user's fields are saved. */
export interface PendingPhoto {
  file?: File;
  remove?: boolean;
}

interface Props {
  /** The saved user (edit), for their current photo. */
  userId?: number;
  hasPhoto: boolean;
  value: PendingPhoto;
  onChange: (next: PendingPhoto) => void;
}

/** «عکس»: preview, choose (JPEG, PNG or WebP, ≤ 1 MB; the server checks the content too), remove. */
export function PhotoField({ userId, hasPhoto, value, onChange }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [loadedAt] = useState(() => Date.now());
  const preview = useMemo(() => (value.file ? URL.createObjectURL(value.file) : null), [value.file]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  const shown =
    preview ?? (userId !== undefined && hasPhoto && !value.remove ? photoUrl(userId, loadedAt) : null);

  return (
    <Space align="start" size={16} wrap>
      <Avatar shape="square" size={96} src={shown ?? undefined} alt="عکس کاربر">
        {shown ? null : 'بدون عکس'}
      </Avatar>
      <Space orientation="vertical" size={8}>
        <Space wrap>
          <Upload
            accept={PHOTO_MEDIA_TYPES.join(',')}
            showUploadList={false}
            maxCount={1}
            beforeUpload={(file) => {
              setError(null);
              if (!(PHOTO_MEDIA_TYPES as readonly string[]).includes(file.type)) {
                setError('فقط تصویر JPEG، PNG یا WebP پذیرفته می‌شود.');
              } else if (file.size > PHOTO_MAX_BYTES) {
                setError('حجم عکس حداکثر ۱ مگابایت است.');
              } else {
                onChange({ file });
              }
              return false; // sent with «ذخیره», not now
            }}
          >
            <Button>انتخاب عکس</Button>
          </Upload>
          {(shown || value.file) && (
            <Button danger onClick={() => onChange(value.file ? {} : { remove: true })}>
              {value.file ? 'انصراف از عکس جدید' : 'حذف عکس'}
            </Button>
          )}
        </Space>
        <span style={{ color: '#667085', fontSize: 12 }}>
          JPEG، PNG یا WebP، حداکثر ۱ مگابایت؛ با «ذخیره» ثبت می‌شود.
        </span>
        {error && <Alert type="error" showIcon title={error} role="alert" />}
      </Space>
    </Space>
  );
}
