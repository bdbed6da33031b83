import { DataTable } from '../../components';
import { GROUPS_API, type Group } from './types';

/**
 * V2 access groups: title (link to edit), how many pages and users, whether case changes need approval
 * (V19); deletable only when nobody holds the group.
 */
export default function GroupList() {
  return (
    <DataTable<Group>
      base={GROUPS_API}
      exportName="groups.xlsx"
      defaultSort={{ sort: 'title', order: 'asc' }}
      deleteConfirm={(n) =>
        `${n.toLocaleString('fa-IR')} گروه انتخاب‌شده حذف شوند؟ گروهی که هنوز به کاربری داده شده یا از گروه‌های پیش‌فرض سامانه است حذف نمی‌شود.`
      }
      columns={[
        { key: 'title', title: 'عنوان گروه دسترسی' },
        {
          key: 'pages',
          title: 'تعداد صفحات',
          type: 'number',
          sortable: false,
          value: (g) => g.pages.length,
          align: 'center',
        },
        { key: 'user_count', title: 'تعداد کاربران', type: 'number', align: 'center' },
        { key: 'predefined', title: 'گروه پیش‌فرض', type: 'boolean', sortable: false, align: 'center' },
        // V19: the group's case changes go through change requests that another user approves
        {
          key: 'needs_approval',
          title: 'نیاز به تأیید',
          type: 'boolean',
          sortable: false,
          align: 'center',
        },
      ]}
    />
  );
}
