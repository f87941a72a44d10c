// The clause plan of a contract (docs/lifecycle.md, sections 1 and 2): the clause's hours sized
// from the contract's amount, then split between trades into draft openings. "Prévisualiser"
// asks for a preview (nothing recorded); "Appliquer" records the sizing and creates the drafts.
import { api, showRefusal } from '../api.js';
import { h, page, frDate, frNum, table, link, say } from '../dom.js';
import { completed, codeIn } from '../complete.js';
import { label, contractTypes } from '../labels.js';

const euro = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

export async function planPage(contractId) {
  const contract = await api('GET', `/v1/contracts/${contractId}`);
  const fields = new Map();
  const field = (key, labelText, input, help) => {
    input.id = input.id || `plan-${key.slice(1).replace(/\W/g, '-')}`;
    const error = h('p', { class: 'field-error', id: `${input.id}-error` });
    const helpEl = help ? h('p', { class: 'help', id: `${input.id}-help` }, help) : null;
    input.setAttribute('aria-describedby', `${helpEl ? `${input.id}-help ` : ''}${input.id}-error`);
    fields.set(key, { input, error });
    return h('div', { class: 'field' }, h('label', { for: input.id }, labelText), input, helpEl, error);
  };
  const sizing = contract.sizing || {};
  const percent = (x) => (x === undefined || x === null ? '' : String(Math.round(x * 10000) / 100));
  const rate = h('input', { type: 'number', min: 0, max: 100, step: 'any', required: true, value: percent(sizing.insertion_rate) });
  const share = h('input', { type: 'number', min: 0, max: 100, step: 'any', value: percent(sizing.labour_share) });
  const cost = h('input', { type: 'number', min: 0, step: 'any', value: sizing.hourly_cost_eur || 30 });
  const weekly = h('input', { type: 'number', min: 1, max: 48, step: '0.5', value: 35 });
  const type = h('select', {}, Object.entries(contractTypes).map(([k, v]) => h('option', { value: k }, v)));

  // Trades: an appellation (completed from the reference data) and an optional share of the hours.
  const trades = [];
  const tradesBox = h('div', { class: 'trades' });
  const addTrade = () => {
    const i = trades.length;
    const appellation = h('input', { type: 'text', autocomplete: 'off', id: `plan-trade-${i}` });
    const list = completed(appellation, '/v1/referential/appellations', (a) => `${a.label} (${a.code})`);
    const part = h('input', { type: 'number', min: 0, max: 100, step: 'any', id: `plan-share-${i}` });
    trades.push({ appellation, part });
    tradesBox.append(h('fieldset', { class: 'criterion' }, h('legend', {}, `Métier ${i + 1}`),
      field(`/trades/${i}/appellation`, 'Métier (appellation ROME)', appellation, 'Tapez un métier puis choisissez-le dans la liste.'), list,
      field(`/trades/${i}/share`, 'Part des heures (%)', part, 'Vide : le reste, à parts égales.')));
    fields.set(`/trades/${i}`, fields.get(`/trades/${i}/appellation`));
  };
  addTrade();

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const result = h('section', { id: 'plan-result', 'aria-labelledby': 'plan-result-title', tabindex: '-1' });
  const form = h('form', { class: 'card', novalidate: true },
    summary,
    h('fieldset', {}, h('legend', {}, 'Dimensionnement'),
      field('/insertion_rate', 'Taux d’insertion (% de la main-d’œuvre, obligatoire)', rate),
      field('/labour_share', 'Part de la main-d’œuvre dans le montant (%)', share,
        'Vide : la part du code CPV du contrat, sinon celle des métiers.'),
      field('/hourly_cost_eur', 'Coût horaire chargé (€)', cost),
      field('/weekly_hours', 'Heures par semaine des offres', weekly),
      field('/contract_type', 'Type de contrat des offres', type)),
    h('fieldset', {}, h('legend', {}, 'Métiers'), tradesBox,
      h('button', { type: 'button', class: 'secondary', onclick: addTrade }, 'Ajouter un métier')),
    h('p', {}, h('button', { type: 'submit', value: 'preview' }, 'Prévisualiser'), ' ',
      h('button', { type: 'submit', value: 'apply', class: 'secondary' }, 'Appliquer : créer les offres en brouillon')));

  const body = (apply) => {
    const b = { apply };
    const num = (input, scale = 1) => (input.value.trim() === '' ? undefined : Number(input.value) / scale);
    if (num(rate, 100) !== undefined) b.insertion_rate = num(rate, 100);
    if (num(share, 100) !== undefined) b.labour_share = num(share, 100);
    if (num(cost) !== undefined) b.hourly_cost_eur = num(cost);
    if (num(weekly) !== undefined) b.weekly_hours = num(weekly);
    b.contract_type = type.value;
    b.trades = trades.filter((t) => t.appellation.value.trim()).map((t) => {
      const code = Number(codeIn(t.appellation.value));
      const trade = { appellation: Number.isInteger(code) && code > 0 ? code : 0 };
      if (num(t.part, 100) !== undefined) trade.share = num(t.part, 100);
      return trade;
    });
    return b;
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const apply = ev.submitter && ev.submitter.value === 'apply';
    for (const { input, error } of fields.values()) {
      input.removeAttribute('aria-invalid');
      error.textContent = '';
    }
    summary.hidden = true;
    summary.replaceChildren();
    // A trade typed but not chosen from the list has no code: said here, before asking the server.
    const unchosen = trades.filter((t) => t.appellation.value.trim() && !/^\d+$/.test(codeIn(t.appellation.value)));
    if (unchosen.length) {
      for (const t of unchosen) {
        t.appellation.setAttribute('aria-invalid', 'true');
        fields.get(`/trades/${trades.indexOf(t)}/appellation`).error.textContent = 'métier inconnu : choisissez-le dans la liste';
      }
      summary.hidden = false;
      summary.append(h('p', {}, `Plan refusé : ${unchosen.length} erreur(s), signalée(s) à côté des champs.`));
      unchosen[0].appellation.focus();
      return;
    }
    try {
      const plan = await api('POST', `/v1/contracts/${contractId}/plan`, body(apply));
      showPlan(contract, plan, result);
      if (plan.applied) say(`Plan appliqué : ${plan.openings.length} offre(s) créée(s) en brouillon.`);
      result.focus();
    } catch (e) {
      showRefusal(e, { fields, summary, form, what: 'Plan refusé' });
    }
  });

  page(`Plan de la clause — contrat ${contract.reference}`,
    h('p', {}, `${contract.title}. Montant ${euro.format(contract.amount_excl_vat_eur || 0)} HT, du ${frDate(contract.start)} `
      + `au ${frDate(contract.end)}. Prévisualisez, puis appliquez : les offres sont créées en brouillon.`),
    h('p', {}, link(`#/contrats/${contractId}`, 'Retour au contrat')),
    form, result);
}

// Where the labour share came from, in French (lifecycle::ResolveLabourShare names it).
function frSource(text) {
  if (text === 'given') return 'saisie';
  return String(text || '').replace(/^default table: /, 'table par défaut : ').replace(/, default table$/, ', table par défaut')
    .replace(/, user table$/, ', table locale').replace(/\brome_fiche\b/g, 'fiche ROME');
}

function showPlan(contract, plan, root) {
  const s = plan.sizing;
  root.replaceChildren(
    h('h2', { id: 'plan-result-title' }, plan.applied ? 'Plan appliqué' : 'Prévisualisation (rien n’est enregistré)'),
    table('Dimensionnement de la clause', ['Élément', 'Valeur'], [
      ['Montant du marché (HT)', euro.format(s.amount_excl_vat_eur)],
      ['Part de la main-d’œuvre', `${frNum(s.labour_share * 100)} % (${frSource(s.labour_share_source)})`],
      ['Montant de la main-d’œuvre', euro.format(s.labour_amount_eur)],
      ['Taux d’insertion', `${frNum(s.insertion_rate * 100)} %`],
      ['Montant de l’insertion', euro.format(s.insertion_amount_eur)],
      ['Coût horaire', euro.format(s.hourly_cost_eur)],
      ['Heures d’insertion', `${frNum(s.hours)} h (exactement ${frNum(s.exact_hours)} h)`],
    ]),
    plan.openings.length === 0 ? h('p', {}, 'Aucun métier indiqué : pas d’offre à créer.')
      : table(plan.applied ? 'Offres créées en brouillon' : 'Offres proposées',
        ['Offre', 'Métier', 'Heures prévues', 'Postes', 'Semaines', 'Capacité', 'Période', 'Contrat'],
        plan.openings.map((o) => [o.id ? `n° ${o.id}` : '—', `${o.fiche} (appellation ${o.appellation})`, `${frNum(o.planned_hours)} h`,
          o.positions, frNum(o.weeks), `${frNum(o.capacity_hours)} h`, `${frDate(o.start)} – ${frDate(o.end)}`,
          label(contractTypes, o.contract_type)])),
    plan.applied ? h('p', {}, link(`#/contrats/${contract.id}`, 'Voir les offres du contrat')) : null);
}
