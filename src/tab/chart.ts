import { h, s, uid } from './dom.js';

export interface Bar {
  label: string;
  /** The label read out and shown in the table ("June 2026", "Before December 2025"). */
  longLabel: string;
  value: number;
}

export function monthLabel(month: string, style: 'short' | 'long' = 'short'): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1)).toLocaleString('en-GB', {
    month: style,
    year: style === 'short' ? '2-digit' : 'numeric',
    timeZone: 'UTC',
  });
}

/** `YYYY-MM` months from `last` back, oldest first. */
export function monthsEnding(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number);
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

/**
 * Counts by month for the chart: one bar for each of the `window` months up to the due-by month
 * (empty months included, so the time axis is honest) and one for everything earlier.
 */
export function monthBars(counts: { month: string; count: number }[], dueBy: string, window = 12): Bar[] {
  const months = monthsEnding(dueBy.slice(0, 7), window);
  const first = months[0]!;
  const byMonth = new Map<string, number>();
  let earlier = 0;
  for (const c of counts) {
    if (c.month < first) earlier += c.count;
    else byMonth.set(c.month, (byMonth.get(c.month) ?? 0) + c.count);
  }
  return [
    { label: 'Earlier', longLabel: `Before ${monthLabel(first, 'long')}`, value: earlier },
    ...months.map((m) => ({
      label: monthLabel(m),
      longLabel: monthLabel(m, 'long'),
      value: byMonth.get(m) ?? 0,
    })),
  ];
}

/** An SVG bar chart with a title and summary for screen readers; the table beside it has the figures. */
export function barChart(title: string, summary: string, bars: Bar[]): SVGSVGElement {
  const width = 720;
  const height = 260;
  const pad = { top: 24, right: 12, bottom: 48, left: 44 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const slot = plotW / bars.length;
  const barW = Math.max(6, slot * 0.64);
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');

  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(
      s('line', { class: 'grid', x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
      s('text', { class: 'axis', x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)),
    );
  }
  const columns = bars.map((b, i) => {
    const x = pad.left + slot * i + (slot - barW) / 2;
    const barTop = y(b.value);
    return s(
      'g',
      { class: i === 0 ? 'bar-group earlier' : 'bar-group' },
      s(
        'rect',
        { class: 'bar', x, y: barTop, width: barW, height: Math.max(0, pad.top + plotH - barTop), rx: 2 },
        s('title', {}, `${b.longLabel}: ${b.value}`),
      ),
      b.value
        ? s(
            'text',
            { class: 'value', x: x + barW / 2, y: barTop - 5, 'text-anchor': 'middle' },
            String(b.value),
          )
        : null,
      s(
        'text',
        { class: 'axis', x: x + barW / 2, y: height - pad.bottom + 16, 'text-anchor': 'middle' },
        b.label,
      ),
    );
  });
  return s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      preserveAspectRatio: 'xMidYMid meet',
    },
    s('title', { id: titleId }, title),
    s('desc', { id: descId }, summary),
    ...grid,
    s('line', {
      class: 'baseline',
      x1: pad.left,
      x2: width - pad.right,
      y1: pad.top + plotH,
      y2: pad.top + plotH,
    }),
    ...columns,
  );
}

function niceStep(max: number): number {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const n = rough / power;
  const nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
  return Math.max(1, nice * power);
}

/** The chart's figures as a table. */
export function barTable(caption: string, bars: Bar[], valueHeader: string): HTMLTableElement {
  return h(
    'table',
    { class: 'data compact' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Month'), h('th', { scope: 'col', class: 'num' }, valueHeader)),
    ),
    h(
      'tbody',
      {},
      bars.map((b) =>
        h('tr', {}, h('th', { scope: 'row' }, b.longLabel), h('td', { class: 'num' }, String(b.value))),
      ),
    ),
  );
}
