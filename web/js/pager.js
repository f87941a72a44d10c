// Lists read page by page from the API (`limit`, `cursor` → `next_cursor`): the server sends one
// page at a time, and the console keeps the cursors it has seen to go back. The buttons stay in
// place from page to page (keyboard focus is not lost); a live line says which items are shown.
import { api } from './api.js';
import { h } from './dom.js';

export const kPageSize = 50;

// Every item of a list (for choices such as the contracts of a batch run), page by page.
export async function all(path, size = 500) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const p = await api('GET', `${path}${sep}limit=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...p.items);
    cursor = p.next_cursor;
  } while (cursor);
  return items;
}

// A paged list: `render(items)` draws one page (a table); `noun` names the items ("contrats").
// Returns the element; `element.ready` settles when the first page is drawn.
export function paged(path, { noun, render, empty, size = kPageSize }) {
  const cursors = [null];
  let index = 0;
  const body = h('div', { class: 'page-body' });
  const line = h('p', { class: 'pager-line', role: 'status' });
  const prev = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Page précédente');
  const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Page suivante');
  const root = h('div', { class: 'paged' }, body, h('nav', { class: 'pager', 'aria-label': `Pages des ${noun}` }, line, prev, next));

  const load = async () => {
    const cursor = cursors[index];
    const sep = path.includes('?') ? '&' : '?';
    const p = await api('GET', `${path}${sep}limit=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    cursors[index + 1] = p.next_cursor || null;
    cursors.length = index + 2;
    body.replaceChildren(p.items.length ? render(p.items) : h('p', {}, empty || `Aucun élément.`));
    const from = index * size + 1;
    const to = index * size + p.items.length;
    line.textContent = p.items.length === 0 ? '' : `${noun[0].toUpperCase()}${noun.slice(1)} ${from} à ${to}`
      + `${p.next_cursor ? ' (page suivante disponible)' : index > 0 ? ` sur ${to}` : ''}.`;
    const focused = document.activeElement;
    prev.disabled = index === 0;
    next.disabled = !p.next_cursor;
    root.querySelector('nav').hidden = index === 0 && !p.next_cursor;
    if ((focused === next && next.disabled) || (focused === prev && prev.disabled)) (next.disabled ? prev : next).focus();
  };
  const go = (step) => {
    index += step;
    load().catch((e) => { line.textContent = e.message; });
  };
  prev.addEventListener('click', () => go(-1));
  next.addEventListener('click', () => go(1));
  root.ready = load();
  root.reload = () => load();
  return root;
}
