// The social feed: people you follow and public posts, newest first. Post, comment (with replies),
// like and follow from here. Every text is rendered as text.

import { api, get, session } from '../api.js';
import { errorBox, h, mount, when } from '../dom.js';

function commentItem(c, reply) {
  return h('li', { class: 'comment', 'data-comment-id': c.id },
    h('strong', {}, c.author.username), ' ', h('span', {}, c.content), ' ',
    h('time', { datetime: c.created_at }, when(c.created_at)),
    session.user && !c.parent_id ? h('button', { type: 'button', class: 'link', onclick: () => reply(c) }, 'Reply') : null);
}

/** A comment list in thread order: each reply right under the comment it answers. */
function threaded(comments) {
  const top = comments.filter((c) => !c.parent_id);
  return top.flatMap((c) => [c, ...comments.filter((r) => r.parent_id === c.id)]);
}

function postCard(p) {
  const likes = h('span', { class: 'like-count' }, `${p.like_count} ${p.like_count === 1 ? 'like' : 'likes'}`);
  const like = h('button', { type: 'button', class: 'like', 'aria-pressed': String(p.liked_by_me) }, p.liked_by_me ? 'Unlike' : 'Like');
  like.addEventListener('click', async () => {
    const liked = like.getAttribute('aria-pressed') === 'true';
    try {
      const state = await api(liked ? 'DELETE' : 'POST', `/api/v1/social/posts/${p.id}/like`);
      like.setAttribute('aria-pressed', String(state.liked));
      like.textContent = state.liked ? 'Unlike' : 'Like';
      likes.textContent = `${state.like_count} ${state.like_count === 1 ? 'like' : 'likes'}`;
    } catch (e) {
      like.after(errorBox(e));
    }
  });
  const comments = h('ul', { class: 'comments' });
  const commentCount = h('span', { class: 'comment-count' }, `${p.comment_count} comments`);
  let parent = null;
  const input = h('input', { name: 'comment', required: true, maxlength: '2000', 'aria-label': 'Comment' });
  const form = h('form', { class: 'comment-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('POST', `/api/v1/social/posts/${p.id}/comments`, { content: input.value, parent_id: parent?.id });
      input.value = '';
      parent = null;
      input.placeholder = '';
      await loadComments();
    } catch (err) {
      form.append(errorBox(err));
    }
  } }, input, h('button', { type: 'submit' }, 'Comment'));
  const reply = (c) => {
    parent = c;
    input.placeholder = `Reply to ${c.author.username}`;
    input.focus();
  };
  async function loadComments() {
    const page = await get(`/api/v1/social/posts/${p.id}/comments?limit=50`);
    mount(comments, threaded(page.items).map((c) => commentItem(c, reply)));
    commentCount.textContent = `${page.total ?? page.items.length} comments`;
    for (const el of comments.querySelectorAll('li')) {
      const c = page.items.find((x) => x.id === el.dataset.commentId);
      if (c && c.parent_id) el.classList.add('reply');
    }
  }
  if (p.comment_count > 0) loadComments().catch(() => {});
  const follow = session.user && p.author.username !== session.user.username
    ? h('button', { type: 'button', class: 'link', onclick: async (e) => {
      try {
        await api('POST', `/api/v1/social/users/${p.author.username}/follow`);
        e.target.textContent = 'Following';
        e.target.disabled = true;
      } catch (err) {
        e.target.after(errorBox(err));
      }
    } }, `Follow ${p.author.username}`)
    : null;
  return h('article', { class: 'post', 'data-post-id': p.id },
    h('header', {}, h('strong', {}, p.author.display_name || p.author.username), ' ',
      h('span', { class: 'muted' }, `@${p.author.username} · ${when(p.created_at)}${p.edited_at ? ' · edited' : ''}`), ' ', follow),
    h('p', { class: 'post-text' }, p.content),
    p.match_id ? h('p', {}, h('a', { href: `#/match/${p.match_id}` }, 'About this match')) : null,
    h('p', { class: 'actions' }, like, ' ', likes, ' · ', commentCount),
    comments,
    session.user ? form : null);
}

export async function feedPage(main) {
  const list = h('div', { class: 'feed', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'Older posts');
  let cursor = null;
  async function load(reset) {
    try {
      const q = new URLSearchParams({ limit: '20' });
      if (!reset && cursor) q.set('cursor', cursor);
      const page = await get(`/api/v1/social/feed?${q}`);
      if (reset) mount(list);
      list.append(...page.items.map(postCard));
      if (reset && page.items.length === 0) mount(list, h('p', {}, 'Nothing here yet: follow people or write the first post.'));
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      mount(list, errorBox(e));
    }
  }
  more.addEventListener('click', () => load(false));
  const text = h('textarea', { name: 'content', id: 'post-content', required: true, maxlength: '2000', rows: '3' });
  const out = h('div', { 'aria-live': 'assertive' });
  const compose = session.user
    ? h('form', { class: 'compose', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('POST', '/api/v1/social/posts', { content: text.value, type: 'general' });
        text.value = '';
        mount(out);
        await load(true);
      } catch (err) {
        mount(out, errorBox(err));
      }
    } }, h('label', { for: 'post-content' }, 'Share a thought (use #tags and @names)'), text, h('button', { type: 'submit' }, 'Post'), out)
    : h('p', {}, h('a', { href: '#/login' }, 'Log in'), ' to post, comment and like.');
  mount(main, h('h1', {}, 'Feed'), compose, list, more);
  await load(true);
}
