import { MENU_SECTIONS, PAGES, type MenuSection, type PageKey } from '@vosul/common/pages';
import { OPEN_ROUTES, PAGE_ROUTES } from './routes';

export interface MenuEntry {
  key: string;
  title: string;
  path: string;
}

export interface MenuGroup {
  section: MenuSection;
  title: string;
  entries: MenuEntry[];
}

/**
 * The side menu of a user: the manual's sections in order, each with the granted pages that the web
 * has screens for (catalogue order), then the screens open to everyone; empty sections are left out.
 */
export function buildMenu(pages: readonly PageKey[]): MenuGroup[] {
  const granted = new Set<PageKey>(pages);
  const sections = Object.keys(MENU_SECTIONS) as MenuSection[];
  return sections
    .map((section) => {
      const entries: MenuEntry[] = [];
      for (const page of PAGES) {
        const route = PAGE_ROUTES[page.key];
        if (page.section === section && route && granted.has(page.key)) {
          entries.push({ key: page.key, title: page.title, path: route.path });
        }
      }
      for (const open of OPEN_ROUTES) {
        if (open.section === section) entries.push({ key: open.key, title: open.title, path: open.path });
      }
      return { section, title: MENU_SECTIONS[section], entries };
    })
    .filter((group) => group.entries.length > 0);
}

/** The menu key of the screen at `pathname` (the entry with the longest matching address). */
export function menuKeyOf(pathname: string, groups: readonly MenuGroup[]): string | undefined {
  let best: MenuEntry | undefined;
  for (const group of groups) {
    for (const entry of group.entries) {
      const matches = pathname === entry.path || pathname.startsWith(entry.path + '/');
      if (matches && (!best || entry.path.length > best.path.length)) best = entry;
    }
  }
  if (!best && pathname === '/') return 'home';
  return best?.key;
}
