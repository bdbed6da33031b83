import { Form } from 'antd';
import {
  FormPage,
  codeRule,
  RemoteSelect,
  TextArea,
  TextInput,
  ipOrCidr,
  maxLength,
  required,
} from '../../components';
import { formatCodeName } from '../../lib/format';
import { BRANCHES_API, PROVINCES_API, type Branch } from './types';

type BranchValues = Pick<Branch, 'code' | 'name' | 'province_id' | 'parent_id' | 'address' | 'ip'>;

export default function BranchForm() {
  return (
    <FormPage<Branch, BranchValues>
      base={BRANCHES_API}
      toBody={(v) => ({
        code: v.code,
        name: v.name,
        province_id: v.province_id,
        parent_id: v.parent_id ?? null,
        address: v.address || null,
        ip: v.ip ? v.ip.trim() : null,
      })}
    >
      {({ record }) => (
        <>
          <Form.Item
            name="code"
            label="کد شعبه"
            rules={[required('کد شعبه'), codeRule('کد شعبه'), maxLength(20)]}
          >
            <TextInput ltr style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="name" label="نام شعبه" rules={[required('نام شعبه'), maxLength(200)]}>
            <TextInput />
          </Form.Item>
          <Form.Item
            name="province_id"
            label="استان"
            rules={[{ required: true, message: 'استان را انتخاب کنید.' }]}
          >
            <RemoteSelect
              base={PROVINCES_API}
              pageSize={500}
              search="local"
              initialOption={
                record
                  ? {
                      value: record.province_id,
                      label: formatCodeName(record.province_code, record.province_name) ?? '',
                    }
                  : null
              }
            />
          </Form.Item>
          <Form.Item
            name="parent_id"
            label="شعبه مادر"
            extra="اگر این شعبه زیرمجموعه شعبه دیگری است، آن را انتخاب کنید."
          >
            <RemoteSelect
              base={BRANCHES_API}
              placeholder="جستجو با کد یا نام شعبه"
              exclude={record ? [record.id] : undefined}
              initialOption={
                record?.parent_id
                  ? {
                      value: record.parent_id,
                      label: formatCodeName(record.parent_code, record.parent_name) ?? '',
                    }
                  : null
              }
            />
          </Form.Item>
          <Form.Item name="address" label="آدرس" rules={[maxLength(500)]}>
            <TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
          </Form.Item>
          <Form.Item
            name="ip"
            label="نشانی IP"
            rules={[ipOrCidr]}
            extra="کاربران شعبه فقط از این نشانی (یا بازه، مانند 10.1.2.0/24) می‌توانند وارد شوند؛ خالی یعنی بدون محدودیت."
          >
            <TextInput ltr style={{ maxWidth: 260 }} />
          </Form.Item>
        </>
      )}
    </FormPage>
  );
}
