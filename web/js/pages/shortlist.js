// The shortlist of an opening: ranked people, the reasons in French, the proofs to renew, the
// score's components, and who was left out, by reason, as a chart.
import { api } from '../api.js';
import { h, page, frDate, frNum } from '../dom.js';
import { barChart } from '../chart.js';
import { label, exclusions, components, criteria } from '../labels.js';

export async function shortlistPage(openingId, k = 20) {
  const s = await api('GET', `/v1/openings/${openingId}/shortlist?k=${k}`);
  const excluded = Object.entries(s.excluded || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  page(`Liste de candidats — offre n° ${openingId}`,
    h('p', {}, `Embauche au ${frDate(s.hire_date)} · ${s.population} personnes suivies, ${s.in_reach} à portée, `
      + `${s.eligible} éligibles ; les ${s.entries.length} meilleures sont classées ci-dessous.`),
    h('ol', { class: 'shortlist' }, s.entries.map(entry)),
    h('section', { 'aria-labelledby': 'excluded-title' },
      h('h2', { id: 'excluded-title' }, 'Personnes écartées, par motif'),
      barChart('Personnes écartées par motif', excluded.map(([code, n]) => [label(exclusions, code), n]))));
}

function entry(e) {
  const c = e.candidate;
  const renew = e.conditions ? e.conditions.map((c) => c.text)
    : (e.reason_codes || []).map((code, i) => [code, e.reasons[i]]).filter(([code]) => code === 'proof_to_renew').map(([, t]) => t);
  const parts = Object.entries(e.components || {}).filter(([k]) => k !== 'total');
  return h('li', { class: 'card entry' },
    h('h2', {}, `${e.rank}. ${c.display_name}`, h('span', { class: 'score' }, ` score ${frNum(e.score * 100)} / 100`)),
    h('p', { class: 'meta' }, `${c.commune_name} (${c.commune_insee}) · ${frNum(e.distance_km)} km · `
      + `éligible par : ${c.eligible_by.map((x) => label(criteria, x)).join(', ') || '—'} · `
      + `prescripteur ${c.prescriber_org} · disponible le ${frDate(c.available_from)}`),
    renew.length ? h('p', { class: 'renew' }, h('strong', {}, 'À actualiser : '), renew.join(' ; ')) : null,
    h('details', {},
      h('summary', {}, 'Pourquoi cette personne'),
      h('ul', {}, e.reasons.map((r) => h('li', {}, r))),
      h('table', { class: 'components' },
        h('caption', {}, 'Composantes du score (0 à 1)'),
        h('tbody', {}, parts.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, label(components, k)),
          h('td', {}, frNum(v)), h('td', {}, h('meter', { min: 0, max: 1, value: Math.max(0, Math.min(1, v)), 'aria-label': label(components, k) }))))))));
}
