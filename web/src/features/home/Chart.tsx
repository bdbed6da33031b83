/**
 * Apache ECharts on the home page, with only the parts it uses (bar and line charts, the SVG
 * renderer: crisp Persian text, and the labels stay in the page's DOM).
 */
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const FONT = 'Vazirmatn, Tahoma, sans-serif';

export function Chart({
  option,
  height = 280,
  testId,
}: {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
}) {
  return (
    // ECharts lays text out left to right; inherited RTL would flip its anchors (each label's own
    // Persian text still runs right to left), so the axes are mirrored in the options instead.
    <div data-testid={testId} dir="ltr">
      <ReactEChartsCore
        echarts={echarts}
        option={{
          textStyle: { fontFamily: FONT },
          ...option,
          tooltip: { extraCssText: 'direction: rtl; text-align: right;', ...(option.tooltip as object) },
        }}
        opts={{ renderer: 'svg' }}
        notMerge
        style={{ height, width: '100%' }}
      />
    </div>
  );
}
