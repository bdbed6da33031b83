/**
 * The create/edit screen of the house kit. Loads `GET {base}/{id}` for edit and sends
 * `PATCH {base}/{id}` with the record's `version`; creates with `POST {base}`. A server error on
 * one field (400 with `field`) lands under that field; a stale edit (409) says so plainly.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Result, Space, Spin, Typography, type FormInstance } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { usePage } from '../app/page';
import { api, ApiError, errorMessage } from '../lib/api';

export const REQUIRED_NOTE = 'پرکردن کادرهای قرمز رنگ، اجباری است.';
export const STALE_EDIT_MESSAGE = 'این رکورد را کاربر دیگری تغییر داده است؛ صفحه را دوباره بارگذاری کنید';
/** The toast after a save, unless the form's `successMessage` says otherwise. */
export const SAVED_MESSAGE = 'اطلاعات ذخیره شد.';

/** A field name from the server (`phones.0.number`) as an antd name path. */
function namePath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Shows a server error on the form: a 400 naming a field the form has goes under that field (and
 * true is returned); anything else is for the caller to show (false).
 */
export function applyFieldError(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const path = namePath(error.field);
  // Without arguments antd answers the registered fields only: a field the form does not show is not one.
  const shown = form.getFieldsValue() as Record<string, unknown>;
  if (!Object.hasOwn(shown, String(path[0]))) return false;
  // Under its own field the server's «field»: prefix (there for API callers) is noise.
  form.setFields([{ name: path, errors: [error.message.replace(/^«[^»]*»:\s*/, '')] }]);
  form.scrollToField(path, { block: 'center' });
  return true;
}

/** The Persian message of a save failure (the stale-edit case in the kit's words). */
export function saveErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'stale_edit') return STALE_EDIT_MESSAGE;
  return errorMessage(error);
}

// antd's default spinner leaves only on a transitionend that may never come, naming the button «loading ذخیره» for good.
const SAVING_ICON = (
  <span role="img" aria-hidden className="anticon anticon-loading anticon-spin">
    <svg viewBox="0 0 1024 1024" width="1em" height="1em" fill="currentColor" focusable="false">
      <path d="M988 548c-19.9 0-36-16.1-36-36 0-59.4-11.6-117-34.6-171.3a440.45 440.45 0 00-94.3-139.9 437.71 437.71 0 00-139.9-94.3C629 83.6 571.4 72 512 72c-19.9 0-36-16.1-36-36s16.1-36 36-36c69.1 0 136.2 13.5 199.3 40.3C772.3 66 827 103 874 150c47 47 83.9 101.8 109.7 162.7 26.7 63.1 40.2 130.2 40.2 199.3.1 19.9-16 36-35.9 36z" />
    </svg>
  </span>
);

export interface FormShellProps<V> {
  form: FormInstance<V>;
  title: ReactNode;
  onFinish: (values: V) => void;
  onCancel?: () => void;
  saving?: boolean;
  /** An error shown above the fields. */
  error?: ReactNode;
  /** Shown beside the error (e.g. a reload button). */
  errorAction?: ReactNode;
  initialValues?: Partial<V>;
  submitText?: string;
  /** Form name: prefixes the inputs' ids (labels point at them). */
  name?: string;
  children: ReactNode;
  /** Show the red-box note (default true). */
  requiredNote?: boolean;
  disabled?: boolean;
}

/**
 * The frame of every form (FormPage uses it; stand-alone forms such as «تغییر کلمه عبور» too):
 * heading, the required-field note, the error, fields with labels beside them, «ذخیره» / «لغو».
 */
export function FormShell<V>({
  form,
  title,
  onFinish,
  onCancel,
  saving,
  error,
  errorAction,
  initialValues,
  submitText = 'ذخیره',
  name = 'record',
  children,
  requiredNote = true,
  disabled,
}: FormShellProps<V>) {
  return (
    <Card variant="borderless" style={{ maxWidth: 880 }} styles={{ body: { padding: 24 } }}>
      <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20, marginBottom: 8 }}>
        {title}
      </Typography.Title>
      {requiredNote && (
        <Typography.Paragraph type="danger" style={{ marginBottom: 16 }}>
          {REQUIRED_NOTE}
        </Typography.Paragraph>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={errorAction}
          role="alert"
          data-testid="form-error"
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<V>
        form={form}
        name={name}
        className="vosul-form"
        layout="horizontal"
        labelCol={{ flex: '180px' }}
        labelWrap
        labelAlign="right"
        wrapperCol={{ flex: 1 }}
        colon={false}
        requiredMark={false}
        initialValues={initialValues}
        onFinish={onFinish}
        disabled={disabled}
        scrollToFirstError
      >
        {children}
        <Form.Item label=" " style={{ marginTop: 8, marginBottom: 0 }}>
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={saving ? { icon: SAVING_ICON } : false}
              aria-busy={saving || undefined}
              style={{ minWidth: 96 }}
            >
              {submitText}
            </Button>
            {onCancel && (
              <Button onClick={onCancel} disabled={false}>
                لغو
              </Button>
            )}
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}

export interface Versioned {
  id: number | string;
  version: number;
}

export interface FormPageProps<R extends Versioned, V> {
  /** The API base, e.g. `/api/v1/provinces`. */
  base: string;
  /** The heading; default «{page} - جدید» / «{page} - ویرایش». */
  title?: ReactNode;
  /** The record id; default the `:id` of the address (absent or `new` = create). */
  id?: number | string;
  /** Record → form values (default the record as is). */
  toValues?: (record: R) => Partial<V>;
  /** Form values → request body (default the values). `version` is added on edit. */
  toBody?: (values: V, record: R | undefined) => object;
  /** The record out of the `GET {base}/{id}` answer (default: the answer, or its only object member). */
  unwrap?: (body: unknown) => R;
  /** Initial values of a new record. */
  initialValues?: Partial<V>;
  /** Where «لغو» and a save go; default the list that opened the form (its search kept), else the page's list. */
  backTo?: string;
  /** After a successful save (default: back to the list). */
  onSaved?: (answer: unknown, mode: 'create' | 'edit') => void;
  /**
   * The toast after a successful save: default «اطلاعات ذخیره شد.» (`SAVED_MESSAGE`); a text replaces
   * it; `false` shows none. A function decides from the server's answer (e.g. none when `onSaved`
   * shows its own notice for that answer).
   */
  successMessage?: SuccessMessage | ((answer: unknown, mode: 'create' | 'edit') => SuccessMessage);
  /** The fields: `Form.Item`s, or a function of the loaded record. */
  children:
    ReactNode | ((ctx: { record: R | undefined; isEdit: boolean; form: FormInstance<V> }) => ReactNode);
}

/** A toast's text, or `false` for none. */
export type SuccessMessage = string | false;

/** `{province: {...}}` or `{...}` → the record. */
function defaultUnwrap<R>(body: unknown): R {
  if (body && typeof body === 'object' && !('id' in body)) {
    const values = Object.values(body);
    if (values.length === 1 && values[0] && typeof values[0] === 'object') return values[0] as R;
  }
  return body as R;
}

export function FormPage<R extends Versioned, V extends object = Partial<R>>({
  base,
  title,
  id: idProp,
  toValues,
  toBody,
  unwrap = defaultUnwrap,
  initialValues,
  backTo,
  onSaved,
  successMessage = SAVED_MESSAGE,
  children,
}: FormPageProps<R, V>) {
  const page = usePage();
  const params = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  // the save error shows above the fields: brought into view when «ذخیره» sits below a long form
  const errorBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) errorBox.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [error]);

  const rawId = idProp ?? params.id;
  const isEdit = rawId !== undefined && rawId !== 'new';
  const location = useLocation();
  // The list that opened the form (with its search and page), else the page's list.
  const from = (location.state as { from?: unknown } | null)?.from;
  const back = backTo ?? (typeof from === 'string' ? from : undefined) ?? page?.path ?? '/';

  const record = useQuery({
    queryKey: [base, 'record', String(rawId)],
    queryFn: async ({ signal }) => unwrap(await api.get<unknown>(`${base}/${rawId}`, undefined, { signal })),
    enabled: isEdit,
    staleTime: 0,
    gcTime: 0,
  });

  useEffect(() => {
    if (record.data) {
      form.resetFields();
      form.setFieldsValue(
        (toValues ? toValues(record.data) : record.data) as Parameters<typeof form.setFieldsValue>[0],
      );
    }
    // toValues is a render-time function; only a newly loaded record refills the form.
  }, [record.data, form]);

  const heading =
    title ?? (page ? `${page.title} - ${isEdit ? 'ویرایش' : 'جدید'}` : isEdit ? 'ویرایش' : 'جدید');

  if (isEdit && record.isPending) {
    return (
      <Card variant="borderless">
        <Spin description="در حال بارگذاری…">
          <div style={{ height: 160 }} />
        </Spin>
      </Card>
    );
  }
  if (isEdit && record.error) {
    const notFound = record.error instanceof ApiError && record.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? 'رکورد مورد نظر یافت نشد' : errorMessage(record.error)}
        extra={<Button onClick={() => void navigate(back)}>بازگشت به فهرست</Button>}
      />
    );
  }

  const onFinish = async (values: V) => {
    setError(null);
    setSaving(true);
    try {
      const body = toBody ? toBody(values, record.data) : values;
      const answer = isEdit
        ? await api.patch<unknown>(`${base}/${rawId}`, { ...body, version: record.data?.version })
        : await api.post<unknown>(base, body);
      await client.invalidateQueries({ queryKey: [base] });
      const mode = isEdit ? 'edit' : 'create';
      const toast = typeof successMessage === 'function' ? successMessage(answer, mode) : successMessage;
      if (toast !== false) void message.success(toast);
      if (onSaved) onSaved(answer, mode);
      else void navigate(back);
    } catch (e) {
      if (!applyFieldError(form, e)) {
        setError({ text: saveErrorMessage(e), stale: e instanceof ApiError && e.code === 'stale_edit' });
      }
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    setError(null);
    await record.refetch();
  };

  return (
    <div ref={errorBox} style={{ scrollMarginTop: 72 }}>
      <FormShell<V>
        form={form}
        name={`form-${base.replace(/\W+/g, '-')}`}
        title={heading}
        initialValues={isEdit ? undefined : initialValues}
        onFinish={(v) => void onFinish(v)}
        onCancel={() => void navigate(back)}
        saving={saving}
        error={error?.text}
        errorAction={
          error?.stale ? (
            <Button size="small" onClick={() => void reload()}>
              بارگذاری دوباره
            </Button>
          ) : undefined
        }
      >
        {typeof children === 'function' ? children({ record: record.data, isEdit, form }) : children}
      </FormShell>
    </div>
  );
}
