// Contracts and their openings; a contract's fulfilment, placements and SIAE nearby.
import { api, downloadFile, frField } from '../api.js';
import { h, page, frDate, frNum, table, link, say } from '../dom.js';
import { barChart } from '../chart.js';
import { label, status, routes } from '../labels.js';
import { paged } from '../pager.js';

export async function contractsPage() {
  const list = paged('/v1/contracts', {
    noun: 'contrats',
    empty: 'Aucun contrat.',
    render: (contracts) => table('Contrats avec clause sociale', ['Référence', 'Intitulé', 'Acheteur', 'Période', 'Heures d’insertion', 'État'],
      contracts.map((c) => [link(`#/contrats/${c.id}`, c.reference), c.title, c.buyer,
        `${frDate(c.start)} – ${frDate(c.end)}`, frNum(c.insertion_hours), label(status, c.status)])),
  });
  await list.ready;
  page('Contrats', h('p', {}, 'Les contrats de l’organisation, 50 par page.'), list);
}

// A draft opening (from the clause plan) opens on the facilitator's word: the server checks it
// against the contract; the list is read again.
let reloadOpenings = () => {};
function openButton(o) {
  const error = h('span', { class: 'error', role: 'alert' });
  return h('span', {}, h('button', {
    type: 'button', class: 'secondary', 'aria-label': `Ouvrir l’offre n° ${o.id}`,
    onclick: async () => {
      try {
        await api('POST', `/v1/openings/${o.id}/open`);
        say(`L’offre n° ${o.id} est ouverte.`);
        reloadOpenings();
      } catch (e) {
        error.textContent = ` Ouverture refusée : ${e.errors.length ? e.errors.map((x) => frField(x)).join(' ; ') : e.message}`;
      }
    },
  }, 'Ouvrir l’offre'), error);
}

// The signed attestation of the contract's hours (docs/attestations.md): a month, or the whole
// contract when the month is left empty; people by pseudonym or by first name and initial.
function attestationForm(id) {
  const month = h('input', { id: 'attestation-month', type: 'month', 'aria-describedby': 'attestation-error' });
  const people = h('select', { id: 'attestation-people' },
    h('option', { value: 'pseudonymised' }, 'pseudonymes'), h('option', { value: 'named' }, 'prénom et initiale du nom'));
  const error = h('span', { id: 'attestation-error', class: 'error', role: 'alert' });
  const button = h('button', {
    type: 'button',
    onclick: async () => {
      error.textContent = '';
      month.removeAttribute('aria-invalid');
      const query = new URLSearchParams({ people: people.value });
      if (month.value) query.set('month', month.value);
      try {
        await downloadFile(`/v1/contracts/${id}/attestation?${query}`, `attestation-${id}-${month.value || 'marche'}.pdf`);
        say('Attestation téléchargée.');
      } catch (e) {
        const bad = e.errors.find((x) => x.parameter === 'month');
        if (bad) month.setAttribute('aria-invalid', 'true');
        error.textContent = ` Attestation refusée : ${bad ? `mois ${frField(bad)}` : e.message}`;
      }
    },
  }, 'Télécharger l’attestation (PDF)');
  return h('section', { 'aria-labelledby': 'attestation-title' }, h('h2', { id: 'attestation-title' }, 'Attestation des heures'),
    h('p', {}, 'Signée électroniquement par l’organisation, à imprimer et signer à la main. Sans mois : l’ensemble du marché.'),
    h('div', { class: 'field' }, h('label', { for: 'attestation-month' }, 'Mois de l’attestation'), month),
    h('div', { class: 'field' }, h('label', { for: 'attestation-people' }, 'Personnes'), people),
    h('p', {}, button, error));
}

export async function contractPage(id) {
  const openings = paged(`/v1/contracts/${id}/openings`, {
    noun: 'offres',
    empty: 'Aucune offre : le plan de la clause en propose.',
    render: (items) => table('Offres du contrat', ['Offre', 'Métier', 'Postes', 'Période', 'Heures / semaine', 'État', ''],
      items.map((o) => [`n° ${o.id}`, `${o.fiche} (appellation ${o.appellation})`, o.positions,
        `${frDate(o.start)} – ${frDate(o.end)}`, frNum(o.weekly_hours), label(status, o.status),
        o.status === 'draft' ? openButton(o) : link(`#/offres/${o.id}/liste`, 'Liste de candidats')])),
  });
  reloadOpenings = () => openings.reload();
  const [contract] = await Promise.all([api('GET', `/v1/contracts/${id}`), openings.ready]);
  const fulfilment = h('section', { 'aria-labelledby': 'fulfilment-title' }, h('h2', { id: 'fulfilment-title' }, 'Réalisation de la clause'));
  const attestation = attestationForm(id);
  const placements = h('section', { 'aria-labelledby': 'placements-title' }, h('h2', { id: 'placements-title' }, 'Mises en poste'));
  const siae = h('section', { 'aria-labelledby': 'siae-title' }, h('h2', { id: 'siae-title' }, 'SIAE proches du chantier'));
  page(`Contrat ${contract.reference}`,
    h('p', {}, `${contract.title} — ${contract.buyer}. Du ${frDate(contract.start)} au ${frDate(contract.end)}, `
      + `${frNum(contract.insertion_hours)} heures d’insertion.`),
    h('p', {}, link(`#/contrats/${id}/plan`, 'Plan de la clause : dimensionnement et offres')),
    h('section', { 'aria-labelledby': 'openings-title' }, h('h2', { id: 'openings-title' }, 'Offres'), openings),
    fulfilment, attestation, placements, siae);

  api('GET', `/v1/contracts/${id}/fulfilment`).then((f) => {
    fulfilment.append(
      h('p', {}, `Prévu : ${frNum(f.forecast_hours)} h · réalisé : ${frNum(f.realised_hours)} h · reste : `
        + `${frNum(f.remaining_hours)} h${f.percent === null ? '' : ` (${frNum(f.percent)} %)`}.`),
      barChart('Heures d’insertion : objectif et réalisé', [
        ['Objectif de la clause', contract.insertion_hours || 0],
        ['Prévu par les mises en poste', f.forecast_hours || 0],
        ['Réalisé', f.realised_hours || 0],
        ...Object.entries(f.realised_by_route || {}).map(([route, hours]) => [`dont ${label(routes, route)}`, hours]),
      ], { format: (v) => `${frNum(v)} h` }));
  }).catch((e) => fulfilment.append(h('p', { class: 'error' }, e.message)));

  const placementList = paged(`/v1/contracts/${id}/placements`, {
    noun: 'mises en poste',
    empty: 'Aucune mise en poste.',
    render: (list) => table('Mises en poste du contrat', ['Mise en poste', 'Offre', 'État', 'Période', 'Heures travaillées'],
      list.map((p) => [link(`#/placements/${p.id}`, `n° ${p.id}`), `n° ${p.opening}`, label(status, p.status),
        `${frDate(p.start)} – ${frDate(p.end)}`, frNum(p.hours_worked)])),
  });
  placements.append(placementList);
  placementList.ready.catch((e) => placements.append(h('p', { class: 'error' }, e.message)));

  api('GET', `/v1/contracts/${id}/siae?km=30&limit=5`).then((s) => {
    const rows = [];
    for (const [kind, group] of Object.entries(s.by_kind || {}))
      for (const st of group.structures) rows.push([kind, st.name, st.city, `${frNum(st.distance_km)} km`, st.trade || '']);
    siae.append(rows.length === 0 ? h('p', {}, 'Aucune structure dans un rayon de 30 km.')
      : table(`Structures à moins de ${s.km} km, par type`, ['Type', 'Structure', 'Commune', 'Distance', 'Métier'], rows));
  }).catch((e) => siae.append(h('p', {}, `Indisponible : ${e.message}`)));
}
