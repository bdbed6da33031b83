import { Form } from 'antd';
import { FormPage, codeRule, TextInput, maxLength, required } from '../../components';
import { PROVINCES_API, type Province } from './types';

export default function ProvinceForm() {
  return (
    <FormPage<Province, Pick<Province, 'code' | 'name'>>
      base={PROVINCES_API}
      toBody={(v) => ({ code: v.code, name: v.name })}
    >
      <Form.Item
        name="code"
        label="کد استان"
        rules={[required('کد استان'), codeRule('کد استان'), maxLength(20)]}
      >
        <TextInput ltr style={{ maxWidth: 200 }} />
      </Form.Item>
      <Form.Item name="name" label="نام استان" rules={[required('نام استان'), maxLength(100)]}>
        <TextInput />
      </Form.Item>
    </FormPage>
  );
}
