// Model performance: every trained version with its backtest on the latest season (RPS by month
// against the bookmakers, calibration), accuracy of the forecasts actually served, and monitoring
// (serving versions, drift alerts, A/B tests).

import { get } from '../api.js';
import { calibrationPlot, lineChart } from '../charts.js';
import { errorBox, h, mount } from '../dom.js';
import { monitoringSections } from './monitoring.js';

const num = (x, digits = 4) => (typeof x === 'number' ? x.toFixed(digits) : '–');

function versionsTable(versions) {
  return h('table', { class: 'grid', id: 'versions' },
    h('caption', {}, 'Model versions (backtest: latest season, weekly refits, only earlier data)'),
    h('thead', {}, h('tr', {}, ['Competition', 'Model', 'Version', 'Trained through', 'Matches', 'RPS', 'Brier', 'Accuracy', 'Bookmaker RPS']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, versions.map((v) => h('tr', {},
      h('td', {}, v.competition), h('td', {}, v.model), h('td', {}, v.version), h('td', {}, v.trained_through ?? '–'),
      h('td', {}, v.matches), h('td', {}, num(v.metrics?.rps)), h('td', {}, num(v.metrics?.brier)),
      h('td', {}, v.metrics?.accuracy != null ? `${(100 * v.metrics.accuracy).toFixed(1)}%` : '–'),
      h('td', {}, num(v.metrics?.bookmaker?.rps))))));
}

function accuracyTable(rows) {
  return h('table', { class: 'grid' },
    h('caption', {}, 'Served forecasts, scored against results'),
    h('thead', {}, h('tr', {}, ['Competition', 'Model', 'Matches', 'RPS', 'Brier', 'Log loss', 'Accuracy'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', {}, r.competition), h('td', {}, r.model), h('td', {}, r.matches), h('td', {}, num(r.rps)),
      h('td', {}, num(r.brier)), h('td', {}, num(r.log_loss)), h('td', {}, `${(100 * r.accuracy).toFixed(1)}%`)))));
}

/** The newest version per competition and model, with its monthly RPS. */
function latestWithSeries(versions) {
  const seen = new Map();
  for (const v of versions) {
    const key = `${v.competition}/${v.model}`;
    if (!seen.has(key) && v.metrics?.monthly) seen.set(key, v);
  }
  return [...seen.values()];
}

export async function modelsPage(main) {
  mount(main, h('h1', {}, 'Model performance'), h('p', { class: 'muted' }, 'Loading…'));
  try {
    const [versions, accuracy] = await Promise.all([get('/api/v1/predictions/ml/models'), get('/api/v1/predictions/ml/accuracy')]);
    const latest = latestWithSeries(versions);
    const monitoring = h('div', { id: 'monitoring' });
    const series = latest.flatMap((v) => {
      const label = `${v.competition} ${v.model} v${v.version}`;
      const model = { name: label, points: v.metrics.monthly.map((p) => [Date.parse(p.month), p.rps]) };
      const book = v.metrics.monthly.filter((p) => p.bookmaker_rps != null);
      return book.length ? [model, { name: `${v.competition} bookmakers`, points: book.map((p) => [Date.parse(p.month), p.bookmaker_rps]) }] : [model];
    });
    mount(main,
      h('h1', {}, 'Model performance'),
      versions.length === 0
        ? h('p', {}, 'No trained versions yet: train one with `pundit train` or POST /api/v1/predictions/ml/models/train.')
        : [
          h('section', {}, h('h2', {}, 'RPS by month (lower is better)'), lineChart(series.slice(0, 8), { yLabel: 'RPS' })),
          latest[0] ? h('section', {}, h('h2', {}, `Calibration: ${latest[0].competition} ${latest[0].model} v${latest[0].version}`),
            calibrationPlot(latest[0].metrics.calibration)) : null,
          versionsTable(versions),
        ],
      h('section', {}, h('h2', {}, 'Live accuracy'), accuracy.length ? accuracyTable(accuracy) : h('p', {}, 'No served forecast has been scored yet.')),
      monitoring);
    await monitoringSections(monitoring);
  } catch (e) {
    mount(main, h('h1', {}, 'Model performance'), errorBox(e));
  }
}
