import { App, Button } from 'antd';
import { useState } from 'react';
import { api, errorMessage, type QueryParams } from '../lib/api';

export interface ExportButtonProps {
  /** The list's export endpoint, e.g. `/api/v1/letters/export`. */
  path: string;
  /** The list's filters as it sends them (no paging): the file holds what the list shows, whole. */
  query: QueryParams;
  /** File name offered when the server names none. */
  fileName: string;
}

/** «خروجی اکسل» of a list that is not a DataTable (one with its own selection and actions). */
export function ExportButton({ path, query, fileName }: ExportButtonProps) {
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const onExport = async () => {
    setExporting(true);
    try {
      await api.download(path, query, fileName);
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Button loading={exporting} onClick={() => void onExport()}>
      خروجی اکسل
    </Button>
  );
}
