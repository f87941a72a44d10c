// The organisation's participants: status, criteria, and the proofs to renew before a hire.
import { api, ApiProblem } from '../api.js';
import { h, page, frDate, table } from '../dom.js';
import { label, status, criteria } from '../labels.js';

export async function participantsPage() {
  const people = [];
  let cursor = null;
  do {
    const p = await api('GET', `/v1/participants?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    people.push(...p.items);
    cursor = p.next_cursor;
  } while (cursor && people.length < 5000);
  const counts = {};
  for (const p of people) counts[p.status] = (counts[p.status] || 0) + 1;
  const renewals = h('section', { 'aria-labelledby': 'renewals-title' }, h('h2', { id: 'renewals-title' }, 'Justificatifs à actualiser'));
  page('Personnes suivies',
    h('p', {}, `${people.length} personne(s) : `
      + (Object.entries(counts).map(([s, n]) => `${n} ${label(status, s)}`).join(', ') || 'aucune')),
    h('p', {}, h('a', { href: '#/personnes/nouvelle' }, 'Nouvelle personne'), ' · ', h('a', { href: '#/personnes/import' }, 'Import CSV')),
    renewals,
    h('section', { 'aria-labelledby': 'people-title' }, h('h2', { id: 'people-title' }, 'Liste'),
      table('Personnes suivies par l’organisation', ['Nom', 'Commune', 'Statut', 'Critères (date du justificatif)'],
        people.map((p) => [`${p.first_name} ${p.last_name}`, p.commune_insee, label(status, p.status),
          (p.criteria || []).map((c) => `${label(criteria, c.criterion)}${c.proof_date ? ` (${frDate(c.proof_date)})` : ''}`).join(' ; ')]))));
  try {
    const r = await api('GET', '/v1/participants/renewals');
    const items = r.items || [];
    const names = new Map(people.map((p) => [p.id, `${p.first_name} ${p.last_name}`]));
    const sources = { proposal: 'proposition en attente', accepted: 'proposition acceptée', shortlist: 'liste de candidats' };
    renewals.append(items.length === 0 ? h('p', {}, 'Aucun justificatif à actualiser.')
      : table('Justificatifs à actualiser avant une embauche', ['Personne', 'Critère', 'À actualiser avant le', 'Offre', 'Origine', 'Détail'],
        items.map((x) => [names.get(x.participant_id) || `n° ${x.participant_id}`, label(criteria, x.condition.criterion),
          frDate(x.condition.renew_by), `n° ${x.opening_id}`, sources[x.source] || x.source, x.condition.text])));
  } catch (e) {
    if (!(e instanceof ApiProblem)) throw e;
    renewals.append(h('p', {}, 'Liste des justificatifs à actualiser indisponible sur ce serveur.'));
  }
}
