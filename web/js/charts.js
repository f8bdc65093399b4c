// Charts as plain DOM and SVG. Every chart carries its numbers as text too, so it reads without
// colour and with a screen reader.

import { h, pct } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** 1X2 as three labelled bars, with 95% intervals when the forecast has them. */
export function outcomeBars(probabilities, intervals, names = ['Home', 'Draw', 'Away']) {
  const keys = ['home', 'draw', 'away'];
  return h('div', { class: 'bars', role: 'img', 'aria-label': keys.map((k, i) => `${names[i]} ${pct(probabilities[k])}`).join(', ') },
    keys.map((k, i) => {
      const ci = intervals && intervals[k];
      return h('div', { class: `bar bar-${k}` },
        h('span', { class: 'bar-label' }, names[i]),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: { width: `${(100 * probabilities[k]).toFixed(1)}%` } })),
        h('span', { class: 'bar-value', 'data-outcome': k }, pct(probabilities[k]),
          ci ? h('small', {}, ` (${pct(ci.lower ?? ci[0])}–${pct(ci.upper ?? ci[1])})`) : null));
    }));
}

/** Exact-score probabilities as a heatmap table (home goals down, away goals across). */
export function scoreHeatmap(grid, maxGoals = 6) {
  const rows = grid.slice(0, maxGoals + 1);
  const top = Math.max(...rows.flatMap((r) => r.slice(0, maxGoals + 1)));
  return h('table', { class: 'heatmap' },
    h('caption', {}, 'Exact score probability (home goals down, away goals across)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), rows[0].slice(0, maxGoals + 1).map((_, a) => h('th', { scope: 'col' }, a)))),
    h('tbody', {}, rows.map((row, hg) => h('tr', {}, h('th', { scope: 'row' }, hg),
      row.slice(0, maxGoals + 1).map((p) => h('td', { style: { '--heat': (p / top).toFixed(3) }, title: pct(p) }, (100 * p).toFixed(1)))))));
}

/** A line chart of series [{name, points: [[x, y]]}] with x as dates (ms) and labelled axes. */
export function lineChart(series, { yLabel = '', width = 640, height = 240 } = {}) {
  const all = series.flatMap((x) => x.points);
  if (all.length === 0) return h('p', {}, 'No data yet.');
  const [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  const pad = 40;
  const sx = (x) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y) => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const dashes = ['', '6 3', '2 3', '8 3 2 3'];
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': `${yLabel} over time` },
    s('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: 'axis' }),
    s('line', { x1: pad, y1: pad, x2: pad, y2: height - pad, class: 'axis' }),
    s('text', { x: 4, y: pad - 8, class: 'tick' }, yLabel),
    s('text', { x: pad, y: height - 8, class: 'tick' }, new Date(x0).toISOString().slice(0, 10)),
    s('text', { x: width - pad - 70, y: height - 8, class: 'tick' }, new Date(x1).toISOString().slice(0, 10)),
    s('text', { x: 2, y: sy(y1) + 4, class: 'tick' }, y1.toFixed(3)),
    s('text', { x: 2, y: sy(y0) + 4, class: 'tick' }, y0.toFixed(3)),
    ...series.map((x, i) => s('polyline', {
      points: x.points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' '),
      class: `series series-${i % 4}`, 'stroke-dasharray': dashes[i % 4],
    })));
  return h('figure', {}, svg, h('figcaption', {}, series.map((x, i) => h('span', { class: `legend series-${i % 4}` }, `${['—', '- -', '···', '-·-'][i % 4]} ${x.name}`))));
}

/** Reliability diagram: predicted probability against observed frequency, per bin. */
export function calibrationPlot(bins, { size = 260 } = {}) {
  if (!bins || bins.length === 0) return h('p', {}, 'No calibration data yet.');
  const pad = 30;
  const sc = (v) => pad + v * (size - 2 * pad);
  const sy = (v) => size - sc(v);
  return h('figure', {},
    s('svg', { viewBox: `0 0 ${size} ${size}`, class: 'chart calibration', role: 'img', 'aria-label': 'Calibration: predicted against observed' },
      s('line', { x1: sc(0), y1: sy(0), x2: sc(1), y2: sy(1), class: 'diagonal' }),
      s('text', { x: pad, y: size - 6, class: 'tick' }, 'predicted →'),
      s('text', { x: 2, y: pad - 10, class: 'tick' }, 'observed ↑'),
      ...bins.map((b) => s('circle', { cx: sc(b.predicted), cy: sy(b.observed), r: 3 + Math.min(6, Math.sqrt(b.count || 1) / 3), class: 'point' }))),
    h('figcaption', {}, 'Points on the diagonal are well calibrated; size shows how many forecasts fall in the bin.'));
}
