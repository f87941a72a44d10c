// Completion of communes and ROME appellations from the server's reference data (the search
// endpoints under /v1/referential), through the browser's own accessible <datalist>.
import { api } from './api.js';
import { h } from './dom.js';

// An input completed from a search endpoint, through a <datalist> (the browser's own, accessible,
// list): the options read "Amiens (80021)".
export function completed(input, endpoint, show) {
  const list = h('datalist', { id: `${input.id || input.name}-list` });
  input.setAttribute('list', list.id);
  let last = '';
  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || q === last || /\(\d+\w*\)$/.test(q)) return;
    timer = setTimeout(async () => {
      last = q;
      try {
        const r = await api('GET', `${endpoint}?q=${encodeURIComponent(q)}&limit=10`);
        list.replaceChildren(...r.items.map((x) => h('option', { value: show(x) })));
      } catch { /* the field stays free text */ }
    }, 150);
  });
  return list;
}

export const codeIn = (text) => { const m = /\(([0-9AB]+)\)\s*$/.exec(text.trim()); return m ? m[1] : text.trim(); };
