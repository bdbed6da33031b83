import { Button } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { USER_TYPES } from '@vosul/common/users';
import { useCanOpen } from '../../app/auth';
import { DataTable, RemoteSelect } from '../../components';
import { SetPasswordDialog } from './SetPasswordDialog';
import { codeAndName, GROUPS_API, type Group, type User, USERS_API } from './types';

/** V3 users: the manual's columns, search over them, multi-delete, export, and V4's «تغییر کلمه عبور». */
export default function UserList() {
  const canOpen = useCanOpen();
  const navigate = useNavigate();
  const [passwordOf, setPasswordOf] = useState<User | null>(null);

  return (
    <>
      <DataTable<User>
        base={USERS_API}
        exportName="users.xlsx"
        defaultSort={{ sort: 'username', order: 'asc' }}
        deleteConfirm={(n) =>
          `${n.toLocaleString('fa-IR')} کاربر انتخاب‌شده حذف شوند؟ نشست‌های باز آن‌ها هم بسته می‌شود. این کار برگشت‌پذیر نیست.`
        }
        toolbar={
          canOpen('user_wizard') ? (
            <Button onClick={() => void navigate('/user-wizard')}>جادوی کاربری</Button>
          ) : undefined
        }
        filters={[
          {
            name: 'branch_id',
            label: 'شعبه',
            input: (
              <RemoteSelect base="/api/v1/branches" placeholder="جستجو با کد یا نام" style={{ width: 200 }} />
            ),
          },
          {
            name: 'group_id',
            label: 'گروه دسترسی',
            input: (
              <RemoteSelect<Group>
                base={GROUPS_API}
                pageSize={500}
                search="local"
                toOption={(g) => ({ value: g.id, label: g.title })}
                style={{ width: 220 }}
              />
            ),
          },
        ]}
        columns={[
          { key: 'username', title: 'نام کاربری', type: 'latin' },
          { key: 'first_name', title: 'نام' },
          { key: 'last_name', title: 'نام خانوادگی' },
          { key: 'branch_code', title: 'کد شعبه', value: (u) => codeAndName(u.branch_code, u.branch_name) },
          {
            key: 'province_code',
            title: 'کد استان',
            value: (u) => codeAndName(u.province_code, u.province_name),
          },
          { key: 'user_type', title: 'نوع کاربر', value: (u) => USER_TYPES[u.user_type] },
          {
            key: 'groups',
            title: 'گروه دسترسی',
            sortable: false,
            value: (u) => u.groups.map((g) => g.title).join('، '),
          },
          {
            key: 'set_password',
            title: 'تغییر کلمه عبور',
            sortable: false,
            render: (u) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setPasswordOf(u)}>
                تغییر کلمه عبور
              </Button>
            ),
          },
        ]}
      />
      <SetPasswordDialog user={passwordOf} onClose={() => setPasswordOf(null)} />
    </>
  );
}
