import type { FormInstance } from 'antd';
import { useState } from 'react';
import { applyFieldError, saveErrorMessage } from './FormPage';

/**
 * A form's save: `saving` while `request` runs; a server error naming a field is shown under it,
 * any other as `error` (shown above the fields). `setError` lets a sibling action (a delete) report.
 */
export function useFormSave<V>(form: FormInstance<V>, request: (values: V) => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async (values: V) => {
    setError(null);
    setSaving(true);
    try {
      await request(values);
    } catch (e) {
      if (!applyFieldError(form, e)) setError(saveErrorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return { save, saving, error, setError };
}
