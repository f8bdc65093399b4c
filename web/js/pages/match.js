// One match: forecast, live state, written insights, betting value and the user's own pick, in tabs. While the page
// is open it follows `match:<id>`: score, minute and in-play probabilities move as events arrive.

import { api, get, session } from '../api.js';
import { outcomeBars, scoreHeatmap } from '../charts.js';
import { errorBox, h, mount, pct, when } from '../dom.js';
import * as socket from '../socket.js';

const TABS = [['forecast', 'Forecast'], ['live', 'Live'], ['insights', 'Insights'], ['chat', 'Chat'], ['betting', 'Betting'], ['pick', 'Your pick']];

function header(m) {
  return h('header', { class: 'match-head' },
    h('p', { class: 'competition' }, `${m.competition.name} · ${m.season}`),
    h('h1', {},
      h('span', { class: 'team home' }, m.home_team.name),
      h('span', { class: 'score', id: 'match-score' }, m.score ? `${m.score.home} – ${m.score.away}` : 'vs'),
      h('span', { class: 'team away' }, m.away_team.name)),
    h('p', { class: 'status', id: 'match-status' }, m.status === 'live' ? `Live · ${m.minute ?? ''}'` : `${m.status} · ${when(m.kickoff_at)}`));
}

function table(caption, head, rows) {
  return h('table', { class: 'grid' }, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

function forecastView(f, m) {
  const grid = f.score_grid && f.score_grid.probabilities;
  return h('div', { class: 'forecast', id: 'forecast' },
    h('h2', {}, `1X2 · ${f.model}${f.kind === 'in_play' ? ' · in play' : ''}`),
    outcomeBars(f.probabilities, f.intervals, [m.home_team.name, 'Draw', m.away_team.name]),
    f.intervals ? h('p', { class: 'muted' }, 'In brackets: 95% interval from the uncertainty of the fitted model.') : null,
    h('p', {}, `Expected goals: ${m.home_team.name} ${f.expected_goals.home.toFixed(2)} – ${f.expected_goals.away.toFixed(2)} ${m.away_team.name}`),
    grid ? scoreHeatmap(grid) : null,
    table('Over / under goals', ['Line', 'Over', 'Under'], f.over_under.map((o) => [o.line, pct(o.over), pct(o.under)])),
    h('p', {}, `Both teams to score: yes ${pct(f.both_teams_to_score.yes)}, no ${pct(f.both_teams_to_score.no)}`),
    h('p', { class: 'muted' }, `Fitted on ${f.trained_on_matches} matches up to ${f.as_of}.`));
}

// One side's team sheet: formation, starters, then substitutes; ↓ went off, ↑ came on.
function sheet(side, lineup) {
  const player = (p) => h('li', {}, `${p.jersey ?? ''} ${p.name}${p.position ? ` (${p.position})` : ''}${p.subbed_out ? ' ↓' : ''}${p.subbed_in ? ' ↑' : ''}`);
  return h('div', { class: 'sheet' },
    h('h3', {}, `${side}${lineup.formation ? ` · ${lineup.formation}` : ''}`),
    h('ol', {}, lineup.starters.map(player)),
    lineup.substitutes.length ? h('p', { class: 'muted' }, 'Substitutes') : null,
    lineup.substitutes.length ? h('ul', {}, lineup.substitutes.map(player)) : null);
}

function lineupsView(lineups, m) {
  if (!lineups?.home || !lineups?.away) return null;
  return h('section', { class: 'lineups', id: 'lineups' },
    h('h2', {}, 'Lineups'),
    h('div', { class: 'sheets' }, sheet(m.home_team.name, lineups.home), sheet(m.away_team.name, lineups.away)));
}

function liveView(live, weather, m) {
  const stats = live.stats && Object.keys(live.stats.home || {}).map((k) => [k.replaceAll('_', ' '), live.stats.home[k] ?? '–', live.stats.away?.[k] ?? '–']);
  return h('div', { class: 'live' },
    live.simulated ? h('p', { class: 'badge' }, 'Simulated replay') : null,
    live.stale ? h('p', { class: 'badge warn' }, 'Provider unavailable: showing the last good data') : null,
    h('p', { class: 'big', id: 'live-score' }, `${m.score ? `${m.score.home} – ${m.score.away}` : '–'} · ${m.status}${m.minute != null ? ` · ${m.minute}'` : ''}`),
    stats && stats.length ? table('Match stats', ['', 'Home', 'Away'], stats) : null,
    live.key_events && live.key_events.length
      ? h('ol', { class: 'events' }, live.key_events.map((e) => h('li', {}, `${e.minute ?? ''}' ${e.kind} (${e.team}) ${e.player ?? e.text ?? ''}`)))
      : h('p', { class: 'muted' }, 'No key events yet.'),
    lineupsView(live.lineups, m),
    weather ? h('p', {}, `Weather at kick-off: ${weather.report.summary}${weather.stale ? ' (last known)' : ''}`) : null);
}

// Who wrote an insight: the LLM (named), the deterministic writer, or an agent.
function insightSource(i) {
  if (i.source === 'llm') return `AI (${i.model ?? 'LLM'})`;
  if (i.source === 'agent') return 'Agent';
  return 'Deterministic';
}

function insightsView(page, m, refresh) {
  const out = h('div', { 'aria-live': 'polite' });
  async function fresh() {
    try {
      await api('POST', `/api/v1/matches/${m.id}/insights`);
      await refresh();
    } catch (err) {
      mount(out, errorBox(err));
    }
  }
  return h('div', { class: 'insights', id: 'insights' },
    session.user && session.user.role === 'admin'
      ? h('p', {}, h('button', { type: 'button', onclick: fresh }, 'Write a fresh insight')) : null,
    out,
    page.items.length ? page.items.map((i) => h('article', { class: `insight insight-${i.source}` },
      h('h2', {}, i.title),
      h('p', { class: 'insight-meta' },
        h('span', { class: `badge source-${i.source}` }, insightSource(i)),
        ` Confidence ${pct(i.confidence)} · ${when(i.created_at)} · ${i.kind.replaceAll('_', ' ')}`),
      h('p', { class: 'insight-text' }, i.content)))
      : h('p', { class: 'muted' }, 'No insights yet.'),
    h('p', { class: 'muted' }, 'Insights describe the model\'s numbers; they are not betting advice.'));
}

function bettingView(m) {
  const input = (name, label) => h('label', {}, label, h('input', { name, type: 'number', step: '0.01', min: '1.01', inputmode: 'decimal' }));
  const out = h('div', { 'aria-live': 'polite' });
  async function assess(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    const odds = ['home', 'draw', 'away'].map((k) => Number(form.get(k)));
    const body = odds.every((o) => o > 1) ? { odds: { home: odds[0], draw: odds[1], away: odds[2] } } : {};
    try {
      const r = await api('POST', `/api/v1/matches/${m.id}/value-bets`, body);
      mount(out,
        h('p', {}, `${r.bookmaker ? `Odds: ${r.bookmaker}` : 'Your odds'} · margin ${pct(r.overround)}`),
        table('Value against the odds', ['Outcome', 'Odds', 'Model', 'Market', 'Edge', 'Value', 'Stake', 'Risk'],
          r.lines.map((l) => [l.outcome, l.odds.toFixed(2), pct(l.model_probability), pct(l.market_probability),
            pct(l.edge), l.is_value ? 'yes' : 'no', l.stake.toFixed(2), l.risk])),
        h('p', { class: 'note' }, r.responsible_gambling));
    } catch (err) {
      mount(out, errorBox(err));
    }
  }
  return h('div', { class: 'betting' },
    h('form', { class: 'odds-form', onsubmit: assess },
      h('p', {}, 'Enter decimal odds, or leave them empty to use the stored bookmaker prices.'),
      input('home', 'Home'), input('draw', 'Draw'), input('away', 'Away'),
      h('button', { type: 'submit' }, 'Assess value')),
    out);
}

function pickView(m) {
  if (!session.user) return h('p', {}, h('a', { href: '#/login' }, 'Log in'), ' to make your pick.');
  const out = h('div', { 'aria-live': 'polite' });
  const open = m.status === 'scheduled' && new Date(m.kickoff_at) > new Date();
  async function save(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    const picks = [{ type: 'result', outcome: form.get('outcome') }];
    if (form.get('home_goals') !== '' && form.get('away_goals') !== '') {
      picks.push({ type: 'exact_score', home_goals: Number(form.get('home_goals')), away_goals: Number(form.get('away_goals')) });
    }
    try {
      const saved = [];
      for (const pick of picks) saved.push(await api('POST', '/api/v1/predictions', { match_id: m.id, ...pick }));
      mount(out, h('p', { class: 'ok', role: 'status' }, `Pick saved (${saved.length}).`));
    } catch (err) {
      mount(out, errorBox(err));
    }
  }
  const goals = (name, label) => h('label', {}, label, h('input', { name, type: 'number', min: '0', max: '20', inputmode: 'numeric' }));
  return h('div', { class: 'pick' },
    open ? null : h('p', { class: 'muted' }, 'Picks are closed: the match has kicked off.'),
    h('form', { class: 'pick-form', onsubmit: save },
      h('fieldset', { disabled: !open },
        h('legend', {}, 'Result'),
        [['home', m.home_team.name], ['draw', 'Draw'], ['away', m.away_team.name]].map(([v, label]) =>
          h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'outcome', value: v, required: true }), label)),
        h('legend', {}, 'Exact score (optional)'),
        goals('home_goals', m.home_team.name), goals('away_goals', m.away_team.name),
        h('button', { type: 'submit' }, 'Save pick'))),
    out);
}

// One chat line; signed-in readers may report it to the moderators.
function chatLine(message) {
  const report = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await api('POST', `/api/v1/chat/${message.id}/report`, { reason: 'reported from the dashboard' });
      button.textContent = 'Reported';
    } catch (e) {
      button.replaceWith(errorBox(e));
    }
  };
  return h('li', { 'data-id': message.id },
    h('strong', {}, message.username), ' ', h('span', {}, message.body), ' ',
    h('time', { class: 'muted', datetime: message.created_at }, when(message.created_at)),
    session.user && session.user.username !== message.username
      ? h('button', { type: 'button', class: 'link', onclick: report, 'aria-label': `Report ${message.username}'s message` }, 'Report')
      : null);
}

// The match's live chat: history (oldest at the top), new lines as they arrive, a send form.
function chatView(messages, id) {
  const list = h('ol', { id: 'chat-messages', class: 'chat', 'aria-live': 'polite' }, [...messages].reverse().map(chatLine));
  const status = h('p', { class: 'muted', role: 'status' });
  const send = async (event) => {
    event.preventDefault();
    const input = event.currentTarget.elements.body;
    const ack = await socket.emit('chat:message', { match_id: id, body: input.value });
    if (ack?.ok) {
      input.value = '';
      status.textContent = '';
    } else {
      status.textContent = ack?.error?.message ?? 'Not connected: try again in a moment.';
    }
  };
  return h('div', { class: 'chat-panel' },
    messages.length ? null : h('p', { class: 'muted', id: 'chat-empty' }, 'No messages yet. Say hello.'),
    list,
    session.user
      ? h('form', { class: 'chat-form', onsubmit: send },
        h('label', { for: 'chat-body' }, 'Message'),
        h('input', { id: 'chat-body', name: 'body', maxlength: '500', required: true, autocomplete: 'off' }),
        h('button', { type: 'submit' }, 'Send'))
      : h('p', { class: 'muted' }, 'Sign in to chat.'),
    status,
    h('p', { class: 'muted' }, 'Be kind: messages can be reported, and moderators hide abuse.'));
}

export async function matchPage(main, id, tab = 'forecast') {
  const m = await get(`/api/v1/matches/${id}`);
  const panel = h('section', { id: 'panel', role: 'tabpanel', tabindex: '0' });
  const nav = h('div', { role: 'tablist', class: 'tabs' },
    TABS.map(([key, label]) => h('a', { role: 'tab', href: `#/match/${id}/${key}`, 'aria-selected': String(key === tab), id: `tab-${key}` }, label)));
  mount(main, header(m), nav, panel);

  let forecast = null;
  let weather = null;
  let insights = null;
  const show = async () => {
    try {
      if (tab === 'forecast') {
        forecast ??= await get(`/api/v1/matches/${id}/forecast?intervals=true`);
        mount(panel, forecastView(forecast, m));
      } else if (tab === 'live') {
        // Weather at kick-off does not change with each goal: fetched once per page.
        weather ??= get(`/api/v1/matches/${id}/weather`).catch(() => null);
        const live = await get(`/api/v1/matches/${id}/live`);
        forecast ??= await get(`/api/v1/matches/${id}/forecast`).catch(() => null);
        mount(panel, liveView(live, await weather, m), forecast ? h('div', { id: 'inplay' }, h('h2', {}, 'In-play probabilities'),
          outcomeBars(forecast.probabilities, null, [m.home_team.name, 'Draw', m.away_team.name])) : null);
      } else if (tab === 'insights') {
        // Written on the server the first time anyone opens it; can take a few seconds with an LLM.
        if (!insights) {
          mount(panel, h('p', { class: 'muted', role: 'status' }, 'Loading insights…'));
          insights = await get(`/api/v1/matches/${id}/insights`);
        }
        mount(panel, insightsView(insights, m, async () => { insights = null; await show(); }));
      } else if (tab === 'chat') {
        mount(panel, chatView(await get(`/api/v1/matches/${id}/chat`), id));
      } else if (tab === 'betting') {
        mount(panel, bettingView(m));
      } else {
        mount(panel, pickView(m));
      }
    } catch (e) {
      mount(panel, errorBox(e));
    }
  };
  await show();

  socket.joinMatch(id);
  const offUpdate = socket.on('match:update', (u) => {
    if (u.id !== id) return;
    Object.assign(m, u);
    document.getElementById('match-score').textContent = u.score ? `${u.score.home} – ${u.score.away}` : 'vs';
    document.getElementById('match-status').textContent = u.status === 'live' ? `Live · ${u.minute ?? ''}'` : `${u.status} · ${when(u.kickoff_at)}`;
    if (tab === 'live') show();
  });
  const offPrediction = socket.on('prediction:update', (p) => {
    if (p.match_id !== id || !p.forecast) return;
    forecast = p.forecast;
    const inplay = document.getElementById('inplay');
    if (tab === 'forecast') mount(panel, forecastView(forecast, m));
    else if (inplay) mount(inplay, h('h2', {}, 'In-play probabilities'), outcomeBars(forecast.probabilities, null, [m.home_team.name, 'Draw', m.away_team.name]));
  });
  const offInsight = socket.on('insight:new', (i) => {
    if (i.match_id !== id) return;
    insights = null;
    if (tab === 'insights') show();
  });
  const offChat = socket.on('chat:message', (message) => {
    const list = document.getElementById('chat-messages');
    if (message.match_id !== id || !list) return;
    // The history fetched when the tab opened may already hold a line that is also delivered live.
    if (list.querySelector(`li[data-id="${message.id}"]`)) return;
    document.getElementById('chat-empty')?.remove();
    list.append(chatLine(message));
  });
  const offHidden = socket.on('chat:hidden', (hidden) => {
    document.querySelector(`#chat-messages li[data-id="${hidden.id}"]`)?.remove();
  });
  return () => {
    offUpdate();
    offPrediction();
    offInsight();
    offChat();
    offHidden();
    socket.leaveMatch(id);
  };
}
