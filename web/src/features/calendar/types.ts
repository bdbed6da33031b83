/** The working-day calendar: the contracts in common/src/calendar.ts. */
export type { Holiday, HolidayInput } from '@vosul/common/calendar';

export const HOLIDAYS_API = '/api/v1/holidays';
