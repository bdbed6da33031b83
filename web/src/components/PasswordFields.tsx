import { Form, Input, type FormItemProps } from 'antd';
import type { CSSProperties } from 'react';
import { PASSWORD_MIN_LENGTH } from '@vosul/common/users';
import { toPersianDigits } from '@vosul/common/text';

export type PasswordFieldProps = FormItemProps & {
  autoComplete: 'current-password' | 'new-password';
  inputStyle?: CSSProperties;
};

/** A password box (left to right) in its form item. */
export function PasswordField({ autoComplete, inputStyle, ...item }: PasswordFieldProps) {
  return (
    <Form.Item {...item}>
      <Input.Password autoComplete={autoComplete} className="vosul-ltr" style={inputStyle} />
    </Form.Item>
  );
}

export interface NewPasswordFieldsProps {
  /** Checks the least length here (and says it under the box), before the server does. */
  checkLength?: boolean;
  /** The message when the repeat is left empty. */
  repeatRequired?: string;
  inputStyle?: CSSProperties;
}

/** A new password (`new_password`) and its repeat (`repeat_password`), which must match it. */
export function NewPasswordFields({
  checkLength = false,
  repeatRequired = 'تکرار کلمه عبور را وارد کنید.',
  inputStyle,
}: NewPasswordFieldsProps) {
  return (
    <>
      <PasswordField
        name="new_password"
        label="کلمه عبور جدید"
        extra={
          checkLength ? `دست‌کم ${toPersianDigits(PASSWORD_MIN_LENGTH)} نویسه، غیر از نام کاربری.` : undefined
        }
        rules={[
          { required: true, message: 'کلمه عبور جدید را وارد کنید.' },
          ...(checkLength
            ? [
                {
                  min: PASSWORD_MIN_LENGTH,
                  message: `کلمه عبور باید دست‌کم ${toPersianDigits(PASSWORD_MIN_LENGTH)} نویسه باشد.`,
                },
              ]
            : []),
        ]}
        autoComplete="new-password"
        inputStyle={inputStyle}
      />
      <PasswordField
        name="repeat_password"
        label="تکرار کلمه عبور"
        dependencies={['new_password']}
        rules={[
          { required: true, message: repeatRequired },
          ({ getFieldValue }) => ({
            validator: (_rule, value: unknown) =>
              !value || value === getFieldValue('new_password')
                ? Promise.resolve()
                : Promise.reject(new Error('تکرار کلمه عبور با کلمه عبور جدید یکسان نیست.')),
          }),
        ]}
        autoComplete="new-password"
        inputStyle={inputStyle}
      />
    </>
  );
}
