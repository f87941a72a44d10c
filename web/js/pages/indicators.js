// Funders' indicators of the organisation's contracts (small counts suppressed by the server),
// as tables and charts, with the CSV export.
import { api, download } from '../api.js';
import { h, page, frNum } from '../dom.js';
import { barChart } from '../chart.js';

const sectionTitles = {
  hours: 'Heures d’insertion', participants: 'Participants', hires_by_contract_type: 'Embauches par type de contrat',
  clauses_by_type: 'Clauses par type', siae_by_kind: 'Embauches par type de SIAE',
  outcomes_6_months: 'Situation à 6 mois', outcomes_12_months: 'Situation à 12 mois',
};
const sexLabels = { femme: 'Femmes', homme: 'Hommes', non_renseigne: 'Non renseigné' };
const cellKey = (c) => `${c.indicator || ''}|${c.category || ''}`;
const shown = (c) => (c.value === null ? (c.suppressed === 's' ? 'masqué' : (c.suppressed || 'masqué')) : frNum(c.value));

export async function indicatorsPage() {
  const r = await api('GET', '/v1/indicators');
  const sections = Object.entries(r.sections || {});
  const sexes = Object.entries(r.by_sex || {});
  page('Indicateurs',
    h('p', {}, `${r.contracts_in_scope} contrat(s), ${r.placements_in_scope} mise(s) en poste. Les effectifs de moins de `
      + `${(r.suppression && r.suppression.threshold) || 5} personnes sont masqués.`),
    h('p', {}, h('button', { type: 'button', onclick: () => download('/v1/indicators', 'indicateurs.csv', 'text/csv') },
      'Exporter en CSV')),
    sections.map(([name, cells]) => {
      const numeric = cells.filter((c) => typeof c.value === 'number');
      const title = sectionTitles[name] || name.replaceAll('_', ' ');
      // One column per sex when the server gives the breakdown (by_sex: the same cells, by key).
      const sexCells = sexes.map(([, s]) => new Map(((s.sections || {})[name] || []).map((c) => [cellKey(c), c])));
      const bySex = sexCells.some((m) => m.size > 0);
      return h('section', { class: 'indicator' },
        h('h2', {}, title),
        h('table', {}, h('caption', {}, `${title} : valeurs`),
          bySex ? h('thead', {}, h('tr', {}, h('td', {}), h('th', { scope: 'col' }, 'Ensemble'),
            sexes.map(([code, s]) => h('th', { scope: 'col' }, sexLabels[code] || s.label || code)))) : null,
          h('tbody', {}, cells.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.label || c.category || c.indicator),
            h('td', {}, shown(c)),
            bySex ? sexCells.map((m) => h('td', {}, m.has(cellKey(c)) ? shown(m.get(cellKey(c))) : '—')) : null)))),
        numeric.length > 1 ? barChart(title, numeric.map((c) => [c.label || c.category || c.indicator, c.value]),
          { format: frNum }) : null);
    }));
}
