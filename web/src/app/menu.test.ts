import { describe, expect, it } from 'vitest';
import { buildMenu, menuKeyOf } from './menu';

describe('the side menu', () => {
  it('keeps the manual section order, shows only granted pages with screens, hides empty sections', () => {
    const menu = buildMenu(['branches', 'provinces', 'followup_cartable', 'loan_types']);
    expect(menu.map((g) => g.title)).toEqual(['مدیریت سیستم', 'اطلاعات پایه']);
    const base = menu.find((g) => g.section === 'base');
    expect(base?.entries.map((e) => e.title)).toEqual(['استان‌ها', 'شعبه‌ها', 'انواع وام']);
  });
  it('offers «تغییر کلمه عبور» to everyone under the system section', () => {
    const menu = buildMenu([]);
    expect(menu).toHaveLength(1);
    expect(menu[0]?.entries.map((e) => e.title)).toEqual(['تغییر کلمه عبور']);
  });
  it('marks the entry of the current address, forms included', () => {
    const menu = buildMenu(['provinces', 'branches']);
    expect(menuKeyOf('/provinces/12', menu)).toBe('provinces');
    expect(menuKeyOf('/branches', menu)).toBe('branches');
    expect(menuKeyOf('/', menu)).toBe('home');
    expect(menuKeyOf('/nowhere', menu)).toBeUndefined();
  });
});
