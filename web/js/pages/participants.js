// The organisation's participants, 50 a page: status, criteria, a button to open each one's record
// (edit, withdraw); and the proofs to renew before a hire. A person is opened by a button, not a
// link: the participant's id never goes into the URL (#/personnes/fiche).
import { api, ApiProblem } from '../api.js';
import { h, page, frDate, table } from '../dom.js';
import { label, status, criteria } from '../labels.js';
import { paged } from '../pager.js';
import { openParticipant as open } from './participant_form.js';

const statuses = { '': 'tous', active: 'actif', placed: 'en poste', suspended: 'suspendu', withdrawn: 'sorti' };

export async function participantsPage() {
  const renewals = h('section', { 'aria-labelledby': 'renewals-title' }, h('h2', { id: 'renewals-title' }, 'Justificatifs à actualiser'));
  const names = new Map();
  const people = (path) => paged(path, {
    noun: 'personnes',
    empty: 'Aucune personne suivie.',
    render: (people) => {
      for (const p of people) names.set(p.id, `${p.first_name} ${p.last_name}`);
      return table('Personnes suivies par l’organisation', ['Nom', 'Commune', 'Statut', 'Critères (date du justificatif)', 'Fiche'],
        people.map((p) => [`${p.first_name} ${p.last_name}`, p.commune_insee, label(status, p.status),
          (p.criteria || []).map((c) => `${label(criteria, c.criterion)}${c.proof_date ? ` (${frDate(c.proof_date)})` : ''}`).join(' ; '),
          h('button', { type: 'button', class: 'link', onclick: () => open(p.id),
            'aria-label': `${p.status === 'withdrawn' ? 'Voir' : 'Modifier'} la fiche de ${p.first_name} ${p.last_name}` },
          p.status === 'withdrawn' ? 'Voir' : 'Modifier')]));
    },
  });
  let list = people('/v1/participants');
  await list.ready;

  // Filters the API has (query parameters): the status, the organisation's own reference.
  const statusFilter = h('select', { id: 'filter-status', name: 'status' }, Object.entries(statuses).map(([k, v]) => h('option', { value: k }, v)));
  const refFilter = h('input', { id: 'filter-ref', name: 'external_ref', type: 'search', autocomplete: 'off' });
  const filters = h('form', { class: 'card filters', role: 'search', 'aria-label': 'Filtrer la liste' },
    h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Statut'), statusFilter),
    h('div', { class: 'field' }, h('label', { for: 'filter-ref' }, 'Référence interne (exacte)'), refFilter),
    h('button', { type: 'submit' }, 'Filtrer'));
  filters.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (statusFilter.value) q.set('status', statusFilter.value);
    if (refFilter.value.trim()) q.set('external_ref', refFilter.value.trim());
    const next = people(`/v1/participants${q.toString() ? `?${q}` : ''}`);
    list.replaceWith(next);
    list = next;
    await next.ready.catch((e) => next.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message)));
  });
  page('Personnes suivies',
    h('p', {}, h('a', { href: '#/personnes/nouvelle' }, 'Nouvelle personne'), ' · ', h('a', { href: '#/personnes/import' }, 'Import CSV')),
    renewals,
    h('section', { 'aria-labelledby': 'people-title' }, h('h2', { id: 'people-title' }, 'Liste'), filters, list));
  try {
    const r = await api('GET', '/v1/participants/renewals');
    const items = r.items || [];
    // The names of people not on the list's first page, read one by one (a few at most).
    const missing = [...new Set(items.map((x) => x.participant_id).filter((id) => !names.has(id)))].slice(0, 50);
    await Promise.all(missing.map(async (id) => {
      const p = await api('GET', `/v1/participants/${id}`).catch(() => null);
      if (p) names.set(id, `${p.first_name} ${p.last_name}`);
    }));
    const sources = { proposal: 'proposition en attente', accepted: 'proposition acceptée', shortlist: 'liste de candidats' };
    renewals.append(items.length === 0 ? h('p', {}, 'Aucun justificatif à actualiser.')
      : table('Justificatifs à actualiser avant une embauche', ['Personne', 'Critère', 'À actualiser avant le', 'Offre', 'Origine', 'Détail', 'Fiche'],
        items.map((x) => [names.get(x.participant_id) || `n° ${x.participant_id}`, label(criteria, x.condition.criterion),
          frDate(x.condition.renew_by), `n° ${x.opening_id}`, sources[x.source] || x.source, x.condition.text,
          h('button', { type: 'button', class: 'link', 'aria-label': `Actualiser la fiche de ${names.get(x.participant_id) || `n° ${x.participant_id}`}`,
            onclick: () => open(x.participant_id) }, 'Actualiser')])));
  } catch (e) {
    if (!(e instanceof ApiProblem)) throw e;
    renewals.append(h('p', {}, 'Liste des justificatifs à actualiser indisponible sur ce serveur.'));
  }
}
