/** The house UI kit: every screen is built from these (see web/README.md, "House kit"). */
export {
  DataTable,
  type DataColumn,
  type DataTableProps,
  type FilterField,
  type ColumnType,
} from './DataTable';
export {
  FormPage,
  FormShell,
  applyFieldError,
  saveErrorMessage,
  REQUIRED_NOTE,
  STALE_EDIT_MESSAGE,
  SAVED_MESSAGE,
  type FormPageProps,
  type SuccessMessage,
  type FormShellProps,
  type Versioned,
} from './FormPage';
export { useFormSave } from './useFormSave';
export {
  JalaliDatePicker,
  JalaliRangePicker,
  JALALI_FORMAT,
  type JalaliDatePickerProps,
  type JalaliRangePickerProps,
  type JalaliRange,
} from './JalaliDatePicker';
export {
  TextInput,
  TextArea,
  NumberText,
  MoneyInput,
  type TextInputProps,
  type TextAreaInputProps,
  type NumberTextProps,
  type MoneyInputProps,
} from './inputs';
export {
  PasswordField,
  NewPasswordFields,
  type PasswordFieldProps,
  type NewPasswordFieldsProps,
} from './PasswordFields';
export { RemoteSelect, type RemoteSelectProps, type RemoteOption } from './RemoteSelect';
export { ExportButton, type ExportButtonProps } from './ExportButton';
export { required, codeRule, ipOrCidr, maxLength, timeOfDay } from './rules';
