import { createContext, useContext } from 'react';
import type { MenuSection, PageKey } from '@vosul/common/pages';

/** Screens open to every signed-in user, outside the page catalogue (no group grants them). */
export type OpenPageKey = 'home' | 'change_password';

/** The page a screen belongs to: set by the router, read by the kit for titles and addresses. */
export interface PageInfo {
  key: PageKey | OpenPageKey;
  title: string;
  section?: MenuSection;
  /** The page's main address, e.g. `/provinces`; its form lives at `{path}/new` and `{path}/:id`. */
  path: string;
  /** The page registered a create/edit form (`{path}/new`, `{path}/:id`). */
  hasForm?: boolean;
}

export const PageContext = createContext<PageInfo | null>(null);

/** The current page (null outside a routed page). */
export function usePage(): PageInfo | null {
  return useContext(PageContext);
}
