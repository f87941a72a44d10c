// Contracts and their openings; a contract's fulfilment, placements and SIAE nearby.
import { api } from '../api.js';
import { h, page, frDate, frNum, table, link } from '../dom.js';
import { barChart } from '../chart.js';
import { label, status } from '../labels.js';

async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const p = await api('GET', `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...p.items);
    cursor = p.next_cursor;
  } while (cursor);
  return items;
}

export async function contractsPage() {
  const contracts = await all('/v1/contracts');
  page('Contrats',
    h('p', {}, `${contracts.length} contrat(s) de l’organisation.`),
    table('Contrats avec clause sociale', ['Référence', 'Intitulé', 'Acheteur', 'Période', 'Heures d’insertion', 'État'],
      contracts.map((c) => [link(`#/contrats/${c.id}`, c.reference), c.title, c.buyer,
        `${frDate(c.start)} – ${frDate(c.end)}`, frNum(c.insertion_hours), label(status, c.status)])));
}

export async function contractPage(id) {
  const [contract, openings] = await Promise.all([api('GET', `/v1/contracts/${id}`), all(`/v1/contracts/${id}/openings`)]);
  const fulfilment = h('section', { 'aria-labelledby': 'fulfilment-title' }, h('h2', { id: 'fulfilment-title' }, 'Réalisation de la clause'));
  const placements = h('section', { 'aria-labelledby': 'placements-title' }, h('h2', { id: 'placements-title' }, 'Mises en poste'));
  const siae = h('section', { 'aria-labelledby': 'siae-title' }, h('h2', { id: 'siae-title' }, 'SIAE proches du chantier'));
  page(`Contrat ${contract.reference}`,
    h('p', {}, `${contract.title} — ${contract.buyer}. Du ${frDate(contract.start)} au ${frDate(contract.end)}, `
      + `${frNum(contract.insertion_hours)} heures d’insertion.`),
    h('section', { 'aria-labelledby': 'openings-title' },
      h('h2', { id: 'openings-title' }, 'Offres'),
      table('Offres du contrat', ['Offre', 'Métier', 'Postes', 'Période', 'Heures / semaine', 'État', ''],
        openings.map((o) => [`n° ${o.id}`, `${o.fiche} (appellation ${o.appellation})`, o.positions,
          `${frDate(o.start)} – ${frDate(o.end)}`, frNum(o.weekly_hours), label(status, o.status),
          link(`#/offres/${o.id}/liste`, 'Liste de candidats')]))),
    fulfilment, placements, siae);

  api('GET', `/v1/contracts/${id}/fulfilment`).then((f) => {
    fulfilment.append(
      h('p', {}, `Prévu : ${frNum(f.forecast_hours)} h · réalisé : ${frNum(f.realised_hours)} h · reste : `
        + `${frNum(f.remaining_hours)} h${f.percent === null ? '' : ` (${frNum(f.percent)} %)`}.`),
      barChart('Heures d’insertion : objectif et réalisé', [
        ['Objectif de la clause', contract.insertion_hours || 0],
        ['Prévu par les mises en poste', f.forecast_hours || 0],
        ['Réalisé', f.realised_hours || 0],
        ...Object.entries(f.realised_by_route || {}).map(([route, hours]) => [`dont ${route}`, hours]),
      ], { format: (v) => `${frNum(v)} h` }));
  }).catch((e) => fulfilment.append(h('p', { class: 'error' }, e.message)));

  all(`/v1/contracts/${id}/placements`).then((list) => {
    placements.append(list.length === 0 ? h('p', {}, 'Aucune mise en poste.')
      : table('Mises en poste du contrat', ['Mise en poste', 'Offre', 'État', 'Période', 'Heures travaillées'],
        list.map((p) => [link(`#/placements/${p.id}`, `n° ${p.id}`), `n° ${p.opening}`, label(status, p.status),
          `${frDate(p.start)} – ${frDate(p.end)}`, frNum(p.hours_worked)])));
  }).catch((e) => placements.append(h('p', { class: 'error' }, e.message)));

  api('GET', `/v1/contracts/${id}/siae?km=30&limit=5`).then((s) => {
    const rows = [];
    for (const [kind, group] of Object.entries(s.by_kind || {}))
      for (const st of group.structures) rows.push([kind, st.name, st.city, `${frNum(st.distance_km)} km`, st.trade || '']);
    siae.append(rows.length === 0 ? h('p', {}, 'Aucune structure dans un rayon de 30 km.')
      : table(`Structures à moins de ${s.km} km, par type`, ['Type', 'Structure', 'Commune', 'Distance', 'Métier'], rows));
  }).catch((e) => siae.append(h('p', {}, `Indisponible : ${e.message}`)));
}
