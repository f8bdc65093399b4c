// Live and upcoming matches, filtered by competition and date, each with its 1X2 forecast.
// Scores and minutes move through the live connection without a reload.

import { api, get } from '../api.js';
import { outcomeBars } from '../charts.js';
import { errorBox, h, mount, when } from '../dom.js';
import * as socket from '../socket.js';

const today = () => new Date().toISOString().slice(0, 10);

function scoreText(m) {
  if (!m.score) return 'vs';
  return `${m.score.home} – ${m.score.away}`;
}

function statusText(m) {
  if (m.status === 'live') return m.minute != null ? `${m.minute}'` : 'live';
  if (m.status === 'scheduled') return when(m.kickoff_at);
  return m.status;
}

function card(m) {
  const forecast = h('div', { class: 'forecast-slot' }, h('span', { class: 'muted' }, 'forecast…'));
  const el = h('li', { class: `match-card status-${m.status}`, 'data-match-id': m.id },
    h('a', { href: `#/match/${m.id}`, class: 'match-link' },
      h('span', { class: 'competition' }, m.competition.name),
      h('span', { class: 'teams' },
        h('span', { class: 'team home' }, m.home_team.name),
        h('span', { class: 'score', 'data-field': 'score' }, scoreText(m)),
        h('span', { class: 'team away' }, m.away_team.name)),
      h('span', { class: 'status', 'data-field': 'status' }, statusText(m))),
    forecast);
  return el;
}

/** Fills every card's forecast slot from one batch request rather than one request per match. */
async function fillForecasts(list, matches) {
  if (matches.length === 0) return;
  const batch = await api('POST', '/api/v1/predictions/ml/batch-predict', { match_ids: matches.map((m) => m.id) })
    .catch(() => ({ results: [] }));
  const byId = new Map(batch.results.map((r) => [r.match_id, r.forecast]));
  for (const m of matches) {
    const slot = list.querySelector(`[data-match-id="${m.id}"] .forecast-slot`);
    const f = byId.get(m.id);
    if (slot) {
      mount(slot, f
        ? outcomeBars(f.probabilities, f.intervals, [m.home_team.name, 'Draw', m.away_team.name])
        : h('span', { class: 'muted' }, 'no forecast yet'));
    }
  }
}

export async function matchesPage(main) {
  const competitions = await get('/api/v1/competitions');
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const competition = h('select', { id: 'filter-competition', name: 'competition' },
    h('option', { value: '' }, 'All competitions'),
    competitions.map((c) => h('option', { value: c.slug, selected: c.slug === params.get('competition') }, c.name)));
  const from = h('input', { id: 'filter-from', type: 'date', name: 'from', value: params.get('from') || today() });
  const list = h('ul', { class: 'match-list', 'aria-live': 'polite' });
  const joined = new Set();

  async function load() {
    for (const id of joined) socket.leaveMatch(id);
    joined.clear();
    const q = new URLSearchParams({ sort: 'kickoff_asc', limit: '40' });
    if (competition.value) q.set('competition', competition.value);
    if (from.value) q.set('from', from.value);
    try {
      const [live, upcoming] = await Promise.all([
        get(`/api/v1/matches?${new URLSearchParams({ ...Object.fromEntries(q), status: 'live' })}`),
        get(`/api/v1/matches?${new URLSearchParams({ ...Object.fromEntries(q), status: 'scheduled' })}`),
      ]);
      const matches = [...live.items, ...upcoming.items];
      mount(list, matches.length ? matches.map(card) : h('li', { class: 'muted' }, 'No live or upcoming matches for this filter.'));
      fillForecasts(list, matches);
      for (const m of matches) {
        joined.add(m.id);
        socket.joinMatch(m.id);
      }
    } catch (e) {
      mount(list, errorBox(e));
    }
  }

  const off = socket.on('match:update', (m) => {
    const el = list.querySelector(`[data-match-id="${m.id}"]`);
    if (!el) return;
    el.className = `match-card status-${m.status}`;
    el.querySelector('[data-field="score"]').textContent = scoreText(m);
    el.querySelector('[data-field="status"]').textContent = statusText(m);
  });
  const offForecast = socket.on('prediction:update', (p) => {
    const el = list.querySelector(`[data-match-id="${p.match_id}"] .forecast-slot`);
    if (el && p.forecast) mount(el, outcomeBars(p.forecast.probabilities, p.forecast.intervals));
  });

  competition.addEventListener('change', load);
  from.addEventListener('change', load);
  mount(main,
    h('h1', {}, 'Live and upcoming matches'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'filter-competition' }, 'Competition'), competition,
      h('label', { for: 'filter-from' }, 'From'), from),
    list);
  await load();
  return () => {
    off();
    offForecast();
    for (const id of joined) socket.leaveMatch(id);
  };
}
