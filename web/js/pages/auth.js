// Log in and sign up. Errors from the API (wrong password, taken username, weak password) are
// shown next to the form.

import { login, register } from '../api.js';
import { errorBox, h, mount } from '../dom.js';

export function authPage(main, mode) {
  const signup = mode === 'signup';
  const out = h('div', { 'aria-live': 'assertive' });
  const field = (name, label, type, extra = {}) =>
    h('label', {}, label, h('input', { name, type, required: true, id: `auth-${name}`, ...extra }));
  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    try {
      if (signup) await register(form.get('email'), form.get('username'), form.get('password'));
      else await login(form.get('login'), form.get('password'));
      location.hash = '#/';
    } catch (err) {
      mount(out, errorBox(err));
    }
  }
  mount(main,
    h('h1', {}, signup ? 'Create an account' : 'Log in'),
    h('form', { class: 'auth-form', onsubmit: submit },
      signup
        ? [field('email', 'Email', 'email', { autocomplete: 'email' }), field('username', 'Username', 'text', { autocomplete: 'username' })]
        : field('login', 'Username or email', 'text', { autocomplete: 'username' }),
      field('password', 'Password', 'password', { autocomplete: signup ? 'new-password' : 'current-password', minlength: signup ? 10 : 1 }),
      h('button', { type: 'submit' }, signup ? 'Sign up' : 'Log in')),
    out,
    signup
      ? h('p', {}, 'Have an account? ', h('a', { href: '#/login' }, 'Log in'))
      : h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')));
  main.querySelector('input').focus();
}
