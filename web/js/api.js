// The REST client and the session. The access token lives only in memory; the refresh token is
// kept in localStorage so a reload keeps you signed in (the page's CSP allows no inline or foreign
// scripts, and all text is rendered as text). Tokens never appear in URLs.

const REFRESH_KEY = 'pundit.refresh';
let access = null;
let user = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `request failed (${status})`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details;
  }
}

export const session = {
  get user() { return user; },
  get token() { return access; },
  onChange(fn) { listeners.add(fn); },
};

function changed() { for (const fn of listeners) fn(user); }

function store(tokens) {
  access = tokens.access_token;
  localStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  if (tokens.user) user = tokens.user;
}

async function send(method, path, body, auth) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth && access) headers.authorization = `Bearer ${access}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

let refreshing = null;
/** Trades the stored refresh token for a new pair (once at a time); false when signed out. */
export async function refresh() {
  const token = localStorage.getItem(REFRESH_KEY);
  if (!token) return false;
  refreshing ??= send('POST', '/api/v1/auth/refresh', { refresh_token: token }, false)
    .then((tokens) => {
      store(tokens);
      changed();
      return true;
    })
    .catch(() => { localStorage.removeItem(REFRESH_KEY); access = null; user = null; changed(); return false; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** Calls the API; on a 401 with a session, refreshes once and retries. */
export async function api(method, path, body) {
  try {
    return await send(method, path, body, true);
  } catch (e) {
    if (e.status === 401 && localStorage.getItem(REFRESH_KEY) && (await refresh())) {
      return send(method, path, body, true);
    }
    throw e;
  }
}

export const get = (path) => api('GET', path);

export async function login(name, password) {
  const who = name.includes('@') ? { email: name } : { username: name };
  store(await send('POST', '/api/v1/auth/login', { ...who, password }, false));
  changed();
}

export async function register(email, username, password) {
  store(await send('POST', '/api/v1/auth/register', { email, username, password }, false));
  changed();
}

export async function logout() {
  const token = localStorage.getItem(REFRESH_KEY);
  localStorage.removeItem(REFRESH_KEY);
  if (token) await send('POST', '/api/v1/auth/logout', { refresh_token: token }, true).catch(() => {});
  access = null;
  user = null;
  changed();
}
