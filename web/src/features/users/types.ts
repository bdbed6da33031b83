/** Records of the users module as the API answers them (common/src/users.ts). */
export type {
  Group,
  PageCatalog,
  User,
  WizardFailureDetails,
  WizardResult,
  WizardRowError,
} from '@vosul/common/users';

export const USERS_API = '/api/v1/users';
export const GROUPS_API = '/api/v1/groups';
export const PAGES_API = '/api/v1/pages';
export const WIZARD_API = '/api/v1/users/wizard';

/** `code - name`, or null when there is no code (an HQ user has no branch). */
export const codeAndName = (code: string | null, name: string | null) =>
  code ? `${code} - ${name ?? ''}` : null;

/** The address of a user's photo; `v` changes when the photo does, so the browser does not show an old one. */
export const photoUrl = (id: number | string, v: string | number) => `${USERS_API}/${id}/photo?v=${v}`;
