import { useState } from 'react';
import type { Notification } from '@vosul/common/notifications';
import { DataTable, JalaliRangePicker } from '../../components';
import { ChannelSelect, NOTIFICATIONS_API, NotificationHistory, notificationColumns } from './shared';

/** V18: a facility's notifications (a merged message naming it too), filtered by date and channel. */
export function FacilityNotifications({ facilityNo }: { facilityNo: string }) {
  const [history, setHistory] = useState<Notification | null>(null);
  return (
    <div data-testid="facility-notifications">
      <DataTable<Notification>
        title="اطلاع‌رسانی‌ها"
        titleLevel={3}
        base={NOTIFICATIONS_API}
        params={{ facility_no: facilityNo }}
        // the facility page has other tables: this one keeps its filters to itself
        urlState={false}
        createPath={null}
        editPath={null}
        deletable={false}
        searchable={false}
        exportName={`notifications-${facilityNo}.xlsx`}
        defaultPageSize={10}
        filters={[
          { name: 'dates', label: 'بازه تاریخ', range: ['from', 'to'], input: <JalaliRangePicker /> },
          { name: 'channel', label: 'کانال', input: <ChannelSelect /> },
        ]}
        columns={notificationColumns(setHistory).filter((c) => c.key !== 'facility_nos')}
      />
      <NotificationHistory notification={history} onClose={() => setHistory(null)} />
    </div>
  );
}
