// Your notifications, newest first; new ones arrive live and can be marked read.

import { api, get, session } from '../api.js';
import { updateBell } from '../bell.js';
import { errorBox, h, mount, when } from '../dom.js';
import * as socket from '../socket.js';

export async function notificationsPage(main) {
  if (!session.user) {
    mount(main, h('p', {}, h('a', { href: '#/login' }, 'Log in'), ' to see your notifications.'));
    return;
  }
  const list = h('ul', { class: 'notifications', 'aria-live': 'polite' });
  const item = (n) => h('li', { class: n.read ? 'read' : 'unread' },
    h('strong', {}, n.title), ' ', h('span', {}, n.body || ''), ' ',
    h('time', { datetime: n.created_at }, when(n.created_at)),
    n.read ? null : h('button', { type: 'button', onclick: async (e) => {
      await api('POST', `/api/v1/notifications/${n.id}/read`).catch(() => {});
      e.target.closest('li').className = 'read';
      e.target.remove();
      updateBell();
    } }, 'Mark read'));
  async function load() {
    try {
      const page = await get('/api/v1/notifications?limit=50');
      mount(list, page.items.length ? page.items.map(item) : h('li', { class: 'muted' }, 'Nothing yet.'));
    } catch (e) {
      mount(list, errorBox(e));
    }
  }
  mount(main, h('h1', {}, 'Notifications'),
    h('button', { type: 'button', onclick: async () => { await api('POST', '/api/v1/notifications/read-all').catch(() => {}); await load(); updateBell(); } }, 'Mark all read'),
    list);
  // Listen before the first load, and reload on news: one arriving while the list is being
  // fetched is neither missed nor shown twice.
  const off = socket.on('notification:new', () => load());
  await load();
  return off;
}
