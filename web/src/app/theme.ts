import type { ThemeConfig } from 'antd';

/** A calm bank palette: deep teal-blue, quiet greys, Vazirmatn throughout. */
export const FONT_FAMILY = "Vazirmatn, Tahoma, 'Segoe UI', system-ui, sans-serif";

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5b79',
    colorInfo: '#1d5b79',
    colorSuccess: '#2f7d5b',
    colorWarning: '#c98a1b',
    colorError: '#c0392b',
    colorLink: '#1d5b79',
    // antd derives the light tints of a dark primary too grey: set the ones used for selection.
    colorPrimaryBg: '#e3eef4',
    colorPrimaryBgHover: '#cfe3ee',
    controlItemBgActive: '#e3eef4',
    controlItemBgActiveHover: '#d3e5ef',
    controlItemBgHover: '#f0f5f8',
    colorBgLayout: '#f2f5f7',
    borderRadius: 6,
    fontFamily: FONT_FAMILY,
    fontSize: 14,
  },
  components: {
    Layout: {
      headerBg: '#163f55',
      headerColor: '#ffffff',
      headerHeight: 56,
      headerPadding: '0 20px',
      siderBg: '#ffffff',
      triggerBg: '#e9eff3',
      triggerColor: '#163f55',
    },
    Menu: {
      itemSelectedBg: '#e3eef4',
      itemSelectedColor: '#163f55',
      subMenuItemBg: '#ffffff',
      groupTitleColor: '#5b6b75',
    },
    Table: {
      headerBg: '#eaf1f5',
      headerColor: '#1f3642',
      rowSelectedBg: '#eef6fa',
      rowSelectedHoverBg: '#e3eef4',
    },
    Card: { headerFontSize: 16 },
  },
};
