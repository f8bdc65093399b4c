// Model monitoring on the Models page: which version serves each competition, drift alerts
// (admins acknowledge them) and A/B tests with their Diebold-Mariano comparison.

import { api, get, session } from '../api.js';
import { errorBox, h, mount } from '../dom.js';

const num = (x, digits = 4) => (typeof x === 'number' ? x.toFixed(digits) : '–');
const day = (iso) => (iso ? new Date(iso).toISOString().slice(0, 10) : '–');
const isAdmin = () => session.user?.role === 'admin';

function servingTable(rows) {
  return h('table', { class: 'grid', id: 'serving' },
    h('caption', {}, 'What serves each competition (forecasts asked without a model)'),
    h('thead', {}, h('tr', {}, ['Competition', 'Source', 'Model', 'Version', 'Trained through', 'Why']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((s) => h('tr', { 'data-competition': s.competition },
      h('td', {}, s.competition),
      h('td', {}, h('span', { class: s.source === 'default' ? 'badge' : 'badge warn' }, s.source.replace('_', ' '))),
      h('td', {}, s.model),
      h('td', {}, s.ab_test ? `A #${s.ab_test.version_a} / B #${s.ab_test.version_b}` : s.version ? `v${s.version.version} (#${s.version.id})` : '–'),
      h('td', {}, s.version?.trained_through ?? '–'),
      h('td', {}, s.ab_test ? `A/B test "${s.ab_test.name}", ${Math.round(100 * s.ab_test.split)}% on B`
        : s.promotion ? (s.promotion.reason || `promoted ${day(s.promotion.created_at)}`) : 'current fit of the default model')))));
}

function alertsTable(alerts, reload) {
  const acknowledge = (alert) => async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await api('POST', `/api/v1/monitoring/alerts/${alert.id}/acknowledge`);
      await reload();
    } catch (e) {
      button.replaceWith(errorBox(e));
    }
  };
  return h('table', { class: 'grid', id: 'drift-alerts' },
    h('caption', {}, 'Drift alerts (latest window against the version\'s baseline)'),
    h('thead', {}, h('tr', {}, ['When', 'Competition', 'Version', 'Kind', 'Severity', 'Value', 'Baseline', 'Matches', 'Message', '']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, alerts.map((a) => h('tr', { 'data-kind': a.kind, 'data-severity': a.severity },
      h('td', {}, day(a.created_at)), h('td', {}, a.competition), h('td', {}, a.model_version_id != null ? `#${a.model_version_id}` : '–'),
      h('td', {}, a.kind.replace('_', ' ')),
      h('td', {}, h('span', { class: a.severity === 'info' ? 'badge' : 'badge warn' }, a.severity)),
      h('td', {}, num(a.value, 3)), h('td', {}, num(a.baseline, 3)), h('td', {}, a.window_matches), h('td', {}, a.message),
      h('td', {}, a.acknowledged_at ? `acknowledged ${day(a.acknowledged_at)}`
        : isAdmin() ? h('button', { type: 'button', class: 'acknowledge', onclick: acknowledge(a) }, 'Acknowledge') : 'open')))));
}

function abTable(tests) {
  const verdict = (r) => {
    if (!r) return '–';
    if (!r.verdict) return r.reason || '–';
    return { a_better: 'A better', b_better: 'B better', no_significant_difference: 'no significant difference' }[r.verdict] ?? r.verdict;
  };
  return h('table', { class: 'grid', id: 'ab-tests' },
    h('caption', {}, 'A/B tests (paired per-match RPS, Diebold-Mariano test)'),
    h('thead', {}, h('tr', {}, ['Name', 'Competition', 'A', 'B', 'Split on B', 'Status', 'Matches', 'Mean RPS A', 'Mean RPS B', 'p-value', 'Verdict']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, tests.map((t) => h('tr', { 'data-status': t.status },
      h('td', {}, t.name), h('td', {}, t.competition), h('td', {}, `#${t.version_a}`), h('td', {}, `#${t.version_b}`),
      h('td', {}, `${Math.round(100 * t.split)}%`), h('td', {}, t.status), h('td', {}, t.results?.matches ?? '–'),
      h('td', {}, num(t.results?.mean_rps_a)), h('td', {}, num(t.results?.mean_rps_b)),
      h('td', {}, num(t.results?.p_value, 3)), h('td', { class: 'verdict' }, verdict(t.results))))));
}

/** The monitoring sections, loaded into `el` (reloaded after an acknowledgement). */
export async function monitoringSections(el) {
  const load = async () => {
    try {
      const [serving, alerts, tests] = await Promise.all([
        get('/api/v1/monitoring/serving'),
        get('/api/v1/monitoring/alerts?limit=50'),
        get('/api/v1/monitoring/ab-tests'),
      ]);
      // Results are computed per test: the five newest are enough for the page.
      const detailed = await Promise.all(tests.slice(0, 5).map((t) => get(`/api/v1/monitoring/ab-tests/${t.id}`)));
      mount(el,
        h('section', {}, h('h2', {}, 'Serving versions'),
          serving.length ? servingTable(serving) : h('p', {}, 'No model version recorded yet.')),
        h('section', {}, h('h2', {}, 'Drift alerts'),
          alerts.items.length ? alertsTable(alerts.items, load) : h('p', {}, 'No drift detected.')),
        h('section', {}, h('h2', {}, 'A/B tests'),
          detailed.length ? abTable(detailed) : h('p', {}, 'No A/B test yet.')));
    } catch (e) {
      mount(el, errorBox(e));
    }
  };
  await load();
}
