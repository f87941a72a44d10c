// A CSV file of participants (columns of docs/formats.md), all or nothing; a refused file's errors
// are listed by line and column.
import { api } from '../api.js';
import { h, page, say } from '../dom.js';
import { frField } from '../api.js';

export function importPage() {
  const file = h('input', { type: 'file', id: 'csv-file', name: 'csv', accept: '.csv,text/csv', required: true });
  const result = h('div', { id: 'import-result', tabindex: '-1' });
  const form = h('form', { class: 'card' },
    h('div', { class: 'field' }, h('label', { for: 'csv-file' }, 'Fichier CSV (UTF-8, une personne par ligne)'), file),
    h('button', { type: 'submit' }, 'Importer'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.replaceChildren();
    if (!file.files.length) {
      result.append(h('p', { class: 'error', role: 'alert' }, 'Choisissez un fichier.'));
      return;
    }
    const text = await file.files[0].text();
    try {
      const r = await api('POST', '/v1/participants', text, { contentType: 'text/csv' });
      result.append(h('p', { role: 'status' }, `${r.created} personne(s) importée(s).`));
      say(`${r.created} personne(s) importée(s).`);
    } catch (e) {
      const rows = e.errors.map((x) => {
        const [, line, column] = (x.pointer || '').split('/');
        return h('tr', {}, h('td', {}, line || '—'), h('td', {}, column || '—'), h('td', {}, frField(x)));
      });
      result.append(h('div', { role: 'alert' },
        h('p', { class: 'error' }, e.errors.length ? `Fichier refusé, rien n’a été importé : ${e.errors.length} erreur(s).` : `Fichier refusé, rien n’a été importé : ${e.message}`)),
      rows.length ? h('table', { class: 'import-errors' }, h('caption', {}, 'Erreurs par ligne et colonne'),
        h('thead', {}, h('tr', {}, ['Ligne', 'Colonne', 'Erreur'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows)) : null);
    }
    result.focus();
  });
  page('Import CSV', h('p', {}, 'Le fichier est importé en entier ou pas du tout : corrigez les lignes signalées puis réessayez.'), form, result);
}
