// The dashboard shell: hash routes (so deep links work without server rewrites), the session in
// the header, the live connection and the notifications bell.

import { logout, refresh, session } from './api.js';
import { updateBell } from './bell.js';
import { errorBox, mount } from './dom.js';
import * as socket from './socket.js';
import { authPage } from './pages/auth.js';
import { feedPage } from './pages/feed.js';
import { leaderboardPage } from './pages/leaderboard.js';
import { leaguesPage } from './pages/leagues.js';
import { matchPage } from './pages/match.js';
import { matchesPage } from './pages/matches.js';
import { modelsPage } from './pages/models.js';
import { notificationsPage } from './pages/notifications.js';

const main = document.getElementById('main');
const routes = [
  [/^#?\/?$/, () => matchesPage(main)],
  [/^#\/match\/(\d+)(?:\/(\w+))?$/, (id, tab) => matchPage(main, Number(id), tab)],
  [/^#\/models$/, () => modelsPage(main)],
  [/^#\/leaderboard$/, () => leaderboardPage(main)],
  [/^#\/feed$/, () => feedPage(main)],
  [/^#\/leagues$/, () => leaguesPage(main)],
  [/^#\/notifications$/, () => notificationsPage(main)],
  [/^#\/(login|signup)$/, (mode) => authPage(main, mode)],
];

// Each page may return a cleanup (leave rooms, stop listeners) run when the route changes.
// A page still loading when the route changes again is cleaned up as soon as it is ready, so its
// listeners never outlive it (two live pages would render every event twice).
let cleanup = null;
let current = 0;
async function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const mine = ++current;
  const hash = location.hash || '#/';
  for (const [pattern, page] of routes) {
    const m = pattern.exec(hash);
    if (m) {
      try {
        const done = (await page(...m.slice(1))) || null;
        if (mine === current) cleanup = done;
        else if (done) done();
      } catch (e) {
        if (mine === current) mount(main, errorBox(e));
      }
      if (mine !== current) return;
      for (const a of document.querySelectorAll('nav a')) {
        a.toggleAttribute('aria-current', a.getAttribute('href') === hash);
      }
      return;
    }
  }
  mount(main, errorBox('Page not found.'));
}

function showSession(user) {
  document.getElementById('login-link').hidden = Boolean(user);
  document.getElementById('logout').hidden = !user;
  document.getElementById('bell').hidden = !user;
  const who = document.getElementById('whoami');
  who.hidden = !user;
  who.textContent = user ? user.username : '';
  if (user) updateBell();
}

session.onChange((user) => {
  showSession(user);
  socket.restart();
});
document.getElementById('logout').addEventListener('click', async () => {
  await logout();
  location.hash = '#/';
});
socket.onState((up) => {
  const el = document.getElementById('live-status');
  el.textContent = up ? 'live' : 'offline';
  el.classList.toggle('up', up);
});

window.addEventListener('hashchange', route);
await refresh();
showSession(session.user);
socket.start(() => session.token);
route();
