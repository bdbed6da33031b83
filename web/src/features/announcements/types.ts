/** Announcements (V10): the contracts in common/src/announcements.ts. */
export type { Announcement } from '@vosul/common/announcements';

export const ANNOUNCEMENTS_API = '/api/v1/announcements';
