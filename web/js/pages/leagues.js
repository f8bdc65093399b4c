// Private leagues: create one, join with an invite code, and follow its board and weekly winners.

import { api, get, session } from '../api.js';
import { errorBox, h, mount } from '../dom.js';

function board(rows) {
  if (rows.length === 0) return h('p', {}, 'No scored picks in this league yet.');
  return h('table', { class: 'grid league-board' },
    h('caption', {}, 'League table'),
    h('thead', {}, h('tr', {}, ['Rank', 'Player', 'Points', 'Picks', 'Accuracy'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.username === session.user.username ? 'me' : '' },
      h('td', {}, r.rank), h('td', {}, r.username), h('td', {}, r.points), h('td', {}, r.picks),
      h('td', {}, r.accuracy != null ? `${(100 * r.accuracy).toFixed(0)}%` : '–')))));
}

async function showLeague(panel, league) {
  const [table, winners] = await Promise.all([
    get(`/api/v1/leagues/${league.id}/leaderboard`),
    get(`/api/v1/leagues/${league.id}/winners?weeks=8`),
  ]);
  mount(panel,
    h('h2', {}, league.name),
    league.description ? h('p', {}, league.description) : null,
    h('p', {}, 'Invite code: ', h('code', { class: 'invite-code' }, league.invite_code),
      ` · ${league.member_count} ${league.member_count === 1 ? 'member' : 'members'}${league.competition ? ` · ${league.competition} only` : ''}`),
    board(table.items),
    h('h3', {}, 'Weekly winners'),
    h('ul', {}, winners.weeks.map((w) => h('li', {}, `${w.from} – ${w.to}: `,
      w.winners.length ? w.winners.map((x) => `${x.username} (${x.points})`).join(', ') : 'no winner'))));
}

export async function leaguesPage(main) {
  if (!session.user) {
    mount(main, h('h1', {}, 'Leagues'), h('p', {}, h('a', { href: '#/login' }, 'Log in'), ' to play in private leagues.'));
    return;
  }
  const list = h('ul', { class: 'leagues' });
  const panel = h('section', { 'aria-live': 'polite' });
  const out = h('div', { 'aria-live': 'assertive' });
  async function load() {
    const page = await get('/api/v1/leagues?limit=50');
    mount(list, page.items.length
      ? page.items.map((l) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => showLeague(panel, l).catch((e) => mount(panel, errorBox(e))) }, l.name)))
      : h('li', { class: 'muted' }, 'You are in no league yet.'));
    return page.items;
  }
  const submit = (fn) => async (e) => {
    e.preventDefault();
    try {
      const league = await fn(new FormData(e.target));
      e.target.reset();
      mount(out);
      await load();
      await showLeague(panel, league);
    } catch (err) {
      mount(out, errorBox(err));
    }
  };
  const create = h('form', { class: 'auth-form', onsubmit: submit((f) => api('POST', '/api/v1/leagues', { name: f.get('name') })) },
    h('label', {}, 'New league name', h('input', { name: 'name', id: 'league-name', required: true, minlength: '3', maxlength: '60' })),
    h('button', { type: 'submit' }, 'Create league'));
  const join = h('form', { class: 'auth-form', onsubmit: submit((f) => api('POST', '/api/v1/leagues/join', { code: f.get('code') })) },
    h('label', {}, 'Invite code', h('input', { name: 'code', id: 'league-code', required: true, autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Join league'));
  mount(main, h('h1', {}, 'Private leagues'), list, panel, h('h2', {}, 'Start or join a league'), create, join, out);
  const leagues = await load();
  if (leagues[0]) await showLeague(panel, leagues[0]);
}
