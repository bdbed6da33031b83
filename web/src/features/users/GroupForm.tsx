import { Alert, Checkbox, Form } from 'antd';
import { FormPage, TextInput, maxLength, required } from '../../components';
import { PageTree } from './PageTree';
import { GROUPS_API, type Group } from './types';

type GroupValues = Pick<Group, 'title' | 'pages' | 'needs_approval'>;

/** V2 create / edit an access group: its title and the pages (menu items) its users may open. */
export default function GroupForm() {
  return (
    <FormPage<Group, GroupValues>
      base={GROUPS_API}
      toValues={(g) => ({ title: g.title, pages: g.pages, needs_approval: g.needs_approval })}
      toBody={(v) => ({ title: v.title, pages: v.pages, needs_approval: v.needs_approval })}
      initialValues={{ pages: [], needs_approval: false }}
    >
      {({ record }) => (
        <>
          {record?.predefined && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title="این گروه از گروه‌های پیش‌فرض سامانه است: ویرایش می‌شود ولی حذف نمی‌شود."
            />
          )}
          <Form.Item
            name="title"
            label="عنوان گروه دسترسی"
            rules={[required('عنوان گروه دسترسی'), maxLength(100)]}
          >
            <TextInput style={{ maxWidth: 360 }} />
          </Form.Item>
          <Form.Item
            name="needs_approval"
            label="تأیید تغییرات"
            valuePropName="checked"
            extra="ثبت یا ویرایش پرونده توسط کاربران این گروه به‌صورت درخواست ثبت می‌شود و پس از تأیید کاربر دیگری اعمال می‌شود."
          >
            <Checkbox>نیاز به تأیید تغییرات پرونده</Checkbox>
          </Form.Item>
          <Form.Item
            name="pages"
            label="صفحات (اقلام) منو"
            extra="کاربران این گروه فقط صفحات انتخاب‌شده را می‌بینند و باز می‌کنند."
            rules={[{ required: true, type: 'array', min: 1, message: 'دست‌کم یک صفحه انتخاب کنید.' }]}
          >
            <PageTree />
          </Form.Item>
        </>
      )}
    </FormPage>
  );
}
