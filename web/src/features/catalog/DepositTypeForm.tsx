import { Form } from 'antd';
import { FormPage, codeRule, TextInput, maxLength, required } from '../../components';
import { DEPOSIT_TYPES_API, type CodeTitle } from './types';

export default function DepositTypeForm() {
  return (
    <FormPage<CodeTitle, Pick<CodeTitle, 'code' | 'title'>>
      base={DEPOSIT_TYPES_API}
      toBody={(v) => ({ code: v.code, title: v.title })}
    >
      <Form.Item
        name="code"
        label="کد نوع سپرده"
        rules={[required('کد نوع سپرده'), codeRule('کد نوع سپرده'), maxLength(20)]}
      >
        <TextInput ltr style={{ maxWidth: 200 }} />
      </Form.Item>
      <Form.Item name="title" label="عنوان نوع سپرده" rules={[required('عنوان نوع سپرده'), maxLength(200)]}>
        <TextInput />
      </Form.Item>
    </FormPage>
  );
}
