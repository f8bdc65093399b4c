// Leaderboards (all time, this week, this month), "beat the model", and your own stats.

import { get, session } from '../api.js';
import { errorBox, h, mount } from '../dom.js';

export async function leaderboardPage(main) {
  const period = h('select', { id: 'lb-period' }, h('option', { value: 'all' }, 'All time'), h('option', { value: 'week' }, 'This week'), h('option', { value: 'month' }, 'This month'));
  const versus = h('div');
  const following = h('input', { type: 'checkbox', id: 'lb-following', disabled: !session.user });
  const board = h('div', { 'aria-live': 'polite' });
  const mine = h('div');
  async function load() {
    try {
      const q = new URLSearchParams({ period: period.value });
      if (following.checked) q.set('following', 'true');
      const page = await get(`/api/v1/leaderboards?${q}`);
      const rows = page.items ?? page;
      mount(board, rows.length === 0 ? h('p', {}, 'No scored picks yet.') : h('table', { class: 'grid', id: 'leaderboard' },
        h('caption', {}, period.selectedOptions[0].textContent),
        h('thead', {}, h('tr', {}, ['Rank', 'Player', 'Points', 'Picks', 'Accuracy'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((r) => h('tr', { class: session.user && r.username === session.user.username ? 'me' : '' },
          h('td', {}, r.rank), h('td', {}, r.username), h('td', {}, r.points), h('td', {}, r.picks),
          h('td', {}, r.accuracy != null ? `${(100 * r.accuracy).toFixed(0)}%` : '–'))))));
    } catch (e) {
      mount(board, errorBox(e));
    }
    const model = await get('/api/v1/leaderboards/model').catch(() => null);
    const fmt = (x) => (x == null ? '–' : x.toFixed(4));
    if (model && (model.items ?? model).length) {
      mount(versus, h('table', { class: 'grid', id: 'versus-model' },
        h('caption', {}, 'Beat the model: your probability picks against Pundit\'s forecast on the same matches (RPS, lower is better)'),
        h('thead', {}, h('tr', {}, ['Rank', 'Player', 'Picks', 'Your RPS', 'Model RPS', 'Edge'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, (model.items ?? model).map((r) => h('tr', {},
          h('td', {}, r.rank), h('td', {}, r.username), h('td', {}, r.probability_picks), h('td', {}, fmt(r.rps)),
          h('td', {}, fmt(r.model_rps)), h('td', {}, r.rps_edge == null ? '–' : `${r.rps_edge > 0 ? 'beat by ' : 'behind by '}${Math.abs(r.rps_edge).toFixed(4)}`))))));
    }
    if (session.user) {
      const s = await get('/api/v1/predictions/stats').catch(() => null);
      if (s) mount(mine, h('h2', {}, 'Your stats'), h('dl', { class: 'stats' }, Object.entries(s)
        .filter(([, v]) => typeof v === 'number')
        .flatMap(([k, v]) => [h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, Number.isInteger(v) ? v : v.toFixed(3))])));
    }
  }
  period.addEventListener('change', load);
  following.addEventListener('change', load);
  mount(main, h('h1', {}, 'Leaderboard'), h('label', { for: 'lb-period' }, 'Period '), period, ' ',
    h('label', { for: 'lb-following' }, following, ' Only me and people I follow'), board, versus, mine);
  await load();
}
