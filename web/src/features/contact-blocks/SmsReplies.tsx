/**
 * «پیامک‌های دریافتی» (issue 6 point 2): what phones sent to the bank's SMS lines, with the name the
 * book has for the mobile; a reply of «۱۱» opts the mobile out of informational SMS from that line,
 * which HQ lifts here when the customer withdraws it. Beside the do-not-contact list: HQ only.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Tag } from 'antd';
import { SMS_REPLY_LABELS as L, type SmsReply } from '@vosul/common/sms-replies';
import { DataTable } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { toPersianDigits } from '../../lib/format';

const SMS_REPLIES_API = '/api/v1/sms-replies';

export function SmsReplies() {
  const { modal, message } = App.useApp();
  const client = useQueryClient();

  const lift = (reply: SmsReply) =>
    modal.confirm({
      title: 'لغو انصراف',
      content: `پیامک‌های اطلاع‌رسانی خط ${toPersianDigits(reply.line)} از برنامه بعدی دوباره به ${toPersianDigits(reply.source)} فرستاده شود؟`,
      okText: 'لغو انصراف',
      cancelText: 'انصراف',
      onOk: async () => {
        try {
          await api.delete(`/api/v1/sms-opt-outs/${reply.source}/${reply.line}`);
          void message.success('انصراف لغو شد.');
          await client.invalidateQueries({ queryKey: [SMS_REPLIES_API] });
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });

  return (
    <DataTable<SmsReply>
      base={SMS_REPLIES_API}
      title="پیامک‌های دریافتی و انصراف‌ها («لغو۱۱»)"
      titleLevel={3}
      createPath={null}
      editPath={null}
      deletable={false}
      exportable={false}
      urlState={false}
      searchHint="تلفن همراه یا متن پیامک"
      defaultSort={{ sort: 'received_at', order: 'desc' }}
      filters={[
        {
          name: 'opted_out',
          label: 'انصراف',
          numeric: false,
          input: (
            <Select
              allowClear
              style={{ minWidth: 160 }}
              options={[
                { value: 'true', label: 'انصراف برقرار' },
                { value: 'false', label: 'بدون انصراف' },
              ]}
            />
          ),
        },
      ]}
      columns={[
        { key: 'received_at', title: L.received_at, type: 'datetime' },
        { key: 'source', title: L.source, type: 'number' },
        { key: 'person_name', title: L.person_name, sortable: false },
        { key: 'line', title: L.line, type: 'number' },
        { key: 'text', title: L.text, ellipsis: true },
        {
          key: 'opt_out',
          title: L.opt_out,
          render: (r) =>
            r.opted_out ? <Tag color="red">برقرار</Tag> : r.opt_out ? <Tag>لغو شده</Tag> : null,
        },
        {
          key: 'actions',
          title: 'عملیات',
          sortable: false,
          render: (r) =>
            r.opted_out ? (
              <Button size="small" onClick={() => lift(r)}>
                لغو انصراف
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
