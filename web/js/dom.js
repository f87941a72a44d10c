// Building the page with DOM calls only: text goes in as text (never as HTML), so nothing a
// participant or a contract holds can run as script.

// h('p', {class: 'x', onclick: fn}, 'text', child, [children]) -> element
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// The page's main area, emptied, with its title; focus moves to the title (keyboard and screen
// reader users land on the new page).
export function page(title, ...children) {
  const main = clear(document.getElementById('main'));
  const h1 = h('h1', { tabindex: '-1' }, title);
  main.append(h1, ...children.flat().filter(Boolean));
  document.title = `${title} — clausematch`;
  h1.focus();
  return main;
}

export function say(text) {
  const status = document.getElementById('status');
  status.textContent = text;
}

// A message for the page the console goes to next (each new page clears the status line).
let nextMessage = '';
export function sayAfter(text) { nextMessage = text; }
export function takeMessage() {
  const text = nextMessage;
  nextMessage = '';
  return text;
}

const dateFmt = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium' });
export function frDate(iso) {
  if (!iso) return '—';
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

const numFmt = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
export function frNum(n) {
  return n === null || n === undefined ? '—' : numFmt.format(n);
}

export function table(caption, headers, rows) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell) => h('td', {}, cell))))));
}

export function link(href, text) {
  return h('a', { href }, text);
}
