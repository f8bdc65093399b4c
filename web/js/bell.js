// The notifications bell: the unread count, read from the API and bumped live.

import { get, session } from './api.js';
import * as socket from './socket.js';

const count = document.getElementById('bell-count');

function setUnread(n) {
  count.textContent = String(n);
  count.setAttribute('aria-label', `${n} unread`);
  count.classList.toggle('zero', n === 0);
}

export async function updateBell() {
  if (!session.user) return;
  try {
    setUnread((await get('/api/v1/notifications/unread-count')).unread_count);
  } catch {
    /* the bell is not worth an error box */
  }
}

socket.on('notification:new', () => setUnread(Number(count.textContent) + 1));
