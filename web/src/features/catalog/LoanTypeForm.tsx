import { Form } from 'antd';
import { Link } from 'react-router-dom';
import { FormPage, codeRule, TextInput, maxLength, required } from '../../components';
import { LOAN_TYPES_API, type CodeTitle } from './types';

export default function LoanTypeForm() {
  return (
    <FormPage<CodeTitle, Pick<CodeTitle, 'code' | 'title'>>
      base={LOAN_TYPES_API}
      toBody={(v) => ({ code: v.code, title: v.title })}
    >
      {({ record }) => (
        <>
          <Form.Item
            name="code"
            label="کد نوع وام"
            rules={[required('کد نوع وام'), codeRule('کد نوع وام'), maxLength(20)]}
          >
            <TextInput ltr style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="title" label="عنوان نوع وام" rules={[required('عنوان نوع وام'), maxLength(200)]}>
            <TextInput />
          </Form.Item>
          {record && (
            <Form.Item label=" ">
              <Link to={`/loan-types/${record.id}/rules`}>پارامترهای طبقه‌بندی و وجه التزام</Link>
            </Form.Item>
          )}
        </>
      )}
    </FormPage>
  );
}
