// The hostile-text table for charts (issue 16): the Chart… button on a result, the chart modal
// with hostile query titles, column names and a saved title, and its notices.
import { escapeMrkdwn, section } from '../../../src/views/blocks.ts';
import * as chart from '../../../src/views/chart.ts';
import * as chartModal from '../../../src/views/chart-modal.ts';
import type { Builder } from './hostile-fixtures.ts';

export const CHART_BUILDERS: Record<string, Record<string, Builder>> = {
  'chart.ts': {
    withChartButton: (h) =>
      chart.withChartButton({ text: escapeMrkdwn(h), blocks: [section(escapeMrkdwn(h))] }, 7),
  },
  'chart-modal.ts': {
    buildChartModal: (h) =>
      chartModal.buildChartModal({
        queryId: 7,
        title: h,
        columns: [h, `${h} 2`, 'day'],
        choice: { kind: 'bar', x: h, y: [`${h} 2`], aggregation: 'sum', title: h },
        metadata: JSON.stringify({ queryId: 7 }),
      }),
    buildChartNoticeModal: (h) => chartModal.buildChartNoticeModal(escapeMrkdwn(h)),
  },
};
