import type { FormRule } from 'antd';
import { normalizeText } from '@vosul/common/text';
import { asText } from '../lib/text';

/** A required field (red box, see FormShell) with a Persian message. */
export const required = (label: string): FormRule => ({
  required: true,
  whitespace: true,
  message: `${label} را وارد کنید.`,
});

/** A code as the server takes it: Latin letters, digits, `_` and `-` (common/src/org.ts, codeField). */
export const codeRule = (label: string): FormRule => ({
  pattern: /^[A-Za-z0-9_-]+$/,
  message: `${label} فقط رقم و حروف لاتین است.`,
});

export const maxLength = (max: number): FormRule => ({
  max,
  message: `حداکثر ${max.toLocaleString('fa-IR')} نویسه مجاز است.`,
});

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(:(\d{1,3}\.){3}\d{1,3})?$/;

function isIp(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  if (extra !== undefined) return false;
  const v4 = IPV4.test(address);
  const v6 = !v4 && address.includes(':') && IPV6.test(address) && (address.match(/::/g)?.length ?? 0) <= 1;
  if (!v4 && !v6) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

/** An IP address or a CIDR range (`10.1.2.3`, `10.1.2.0/24`, IPv6 too); empty passes. */
export const ipOrCidr: FormRule = {
  validator: (_rule, value: unknown) =>
    !value || isIp(asText(value).trim())
      ? Promise.resolve()
      : Promise.reject(
          new Error(
            'نشانی IP معتبر نیست؛ یک نشانی (مانند 10.1.2.3) یا یک بازه (مانند 10.1.2.0/24) وارد کنید.',
          ),
        ),
};

/** A time of day HH:MM in any digits (the server pads a single-digit hour); empty passes. */
export const timeOfDay = (label: string): FormRule => ({
  validator: (_rule, value: unknown) =>
    typeof value !== 'string' ||
    value === '' ||
    /^([01]?\d|2[0-3]):[0-5]\d$/.test(normalizeText(asText(value)).trim())
      ? Promise.resolve()
      : Promise.reject(new Error(`${label} باید به شکل ساعت:دقیقه (مانند ۰۲:۳۰) باشد.`)),
});
