// A small Socket.IO v5 client over the browser's WebSocket: engine.io open and ping/pong, the
// namespace connect carrying the token in the auth packet (never in the URL), events, acks,
// and reconnection that re-joins the rooms the page asked for.

const handlers = new Map();
// Match id → how many open pages want its room: a page cleaned up late must not leave a room
// that the page now showing the same match has joined.
const rooms = new Map();
const acks = new Map();
const stateListeners = new Set();
let ws = null;
let connected = false;
let nextAck = 0;
let tokenOf = () => null;
let started = false;
let retry = 500;
let timer = null;

export function onState(fn) { stateListeners.add(fn); fn(connected); }
function setConnected(value) {
  connected = value;
  for (const fn of stateListeners) fn(value);
}

/** Subscribes to `event`; returns a function that unsubscribes. */
export function on(event, fn) {
  if (!handlers.has(event)) handlers.set(event, new Set());
  handlers.get(event).add(fn);
  return () => handlers.get(event).delete(fn);
}

export function emit(event, data) {
  return new Promise((resolve) => {
    if (!connected) return resolve(null);
    const id = nextAck++;
    acks.set(id, resolve);
    ws.send(`42${id}${JSON.stringify([event, data])}`);
  });
}

export function joinMatch(id) {
  const wanted = (rooms.get(id) ?? 0) + 1;
  rooms.set(id, wanted);
  return wanted === 1 ? emit('join:match', { match_id: id }) : Promise.resolve({ ok: true });
}

export function leaveMatch(id) {
  const wanted = (rooms.get(id) ?? 1) - 1;
  if (wanted > 0) {
    rooms.set(id, wanted);
    return Promise.resolve({ ok: true });
  }
  rooms.delete(id);
  return emit('leave:match', { match_id: id });
}

/** Opens the connection; `getToken` is asked on every (re)connect. */
export function start(getToken) {
  tokenOf = getToken;
  started = true;
  open();
}

/** Reconnects, e.g. after logging in or out, so the server sees the new identity. */
export function restart() {
  if (!started) return;
  const old = ws;
  open();
  if (old) old.close();
}

function dropped() {
  setConnected(false);
  for (const resolve of acks.values()) resolve(null);
  acks.clear();
}

function open() {
  clearTimeout(timer);
  if (ws) dropped();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const sock = new WebSocket(`${scheme}://${location.host}/socket.io/?EIO=4&transport=websocket`);
  ws = sock;
  // A replaced socket's late events are ignored: only the current one speaks for the page.
  sock.onmessage = (msg) => { if (sock === ws) receive(String(msg.data)); };
  sock.onclose = () => {
    if (sock !== ws) return;
    ws = null;
    dropped();
    timer = setTimeout(open, retry);
    retry = Math.min(retry * 2, 10000);
  };
}

function receive(packet) {
  if (packet === '2') return ws.send('3');
  if (packet.startsWith('0')) {
    const token = tokenOf();
    return ws.send(token ? `40${JSON.stringify({ token })}` : '40');
  }
  if (packet.startsWith('40')) {
    retry = 500;
    setConnected(true);
    for (const id of rooms.keys()) emit('join:match', { match_id: id });
    return;
  }
  if (packet.startsWith('44')) {
    // A refused token (expired, revoked): carry on anonymously rather than loop.
    tokenOf = () => null;
    return ws.send('40');
  }
  const m = /^4([23])(\d*)(.*)$/s.exec(packet);
  if (!m) return;
  const args = JSON.parse(m[3]);
  if (m[1] === '3') {
    const resolve = acks.get(Number(m[2]));
    acks.delete(Number(m[2]));
    return resolve && resolve(args[0]);
  }
  const [event, data] = args;
  for (const fn of handlers.get(event) || []) fn(data);
}
