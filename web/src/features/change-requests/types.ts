/** Records of the change-request module as the API answers them (common/src/change-requests.ts). */
export type { ChangeRequest, ChangeRequestField, ChangeRequestListItem } from '@vosul/common/change-requests';

export const CHANGE_REQUESTS_API = '/api/v1/change-requests';
export const CHANGE_REQUESTS_PATH = '/change-requests';

/** The page of one request. */
export const requestPath = (id: number | string) => `${CHANGE_REQUESTS_PATH}/${id}`;

/** Tag colours of the statuses. */
export const STATUS_COLORS = { pending: 'gold', accepted: 'green', rejected: 'red' } as const;
