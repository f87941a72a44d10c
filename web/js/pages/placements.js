// A placement, its monthly hours and its outcomes: the hours form reports a month, the answer
// shows the month's cap, and a report over the cap is refused by the server (shown beside the
// field); the outcomes form records the situation 6 or 12 months after entry.
import { api, frField } from '../api.js';
import { h, page, frDate, frNum, table } from '../dom.js';
import { label, status, outcomes, outcomeCategories, outcomeCategory, routes, contractTypes } from '../labels.js';

// Beside a field: the French word for the problem's code; for a report over the month's cap, the
// cap's figures too (the server's detail gives them: "… 6 working days at 35 h/week give 42 h, at
// most 56 h with overtime").
// A subcontracting amount over the cap also gives the hours it converts to ("… = 80 h exceed …").
function fieldText(x) {
  const m = x.code === 'over_cap' && /(\d+) working days at ([\d.]+) h\/week give ([\d.]+) h, at most ([\d.]+) h/.exec(x.detail || '');
  const converted = x.code === 'over_cap' && /= ([\d.]+) h exceed/.exec(x.detail || '');
  return m ? `${frField(x)}${converted ? ` (soit ${frNum(Number(converted[1]))} h)` : ''} : ${m[1]} jours ouvrés à `
    + `${frNum(Number(m[2]))} h par semaine donnent ${frNum(Number(m[3]))} h, `
    + `au plus ${frNum(Number(m[4]))} h avec les heures supplémentaires` : fromDate(x);
}

// An outcome recorded too early: the server's detail gives the first day it can be ("… can be
// recorded from 2027-05-23 …").
function fromDate(x) {
  const m = x.code === 'out_of_range' && /can be recorded from (\d{4}-\d\d-\d\d)/.exec(x.detail || '');
  return m ? `trop tôt : relevable à partir du ${frDate(m[1])}` : frField(x);
}

export async function placementPage(id) {
  const p = await api('GET', `/v1/placements/${id}`);
  const hoursSection = h('section', { 'aria-labelledby': 'hours-title' }, h('h2', { id: 'hours-title' }, 'Heures réalisées'));
  const outcomesSection = h('section', { 'aria-labelledby': 'outcomes-title' });
  page(`Mise en poste n° ${id}`,
    h('p', {}, `Offre n° ${p.opening} · ${label(status, p.status)} · du ${frDate(p.start)} au ${frDate(p.end)}, `
      + `${frNum(p.weekly_hours)} h par semaine · ${label(contractTypes, p.contract_type)}, ${label(routes, p.route)} · `
      + `employeur : ${p.employer || '—'}.`),
    h('p', {}, h('a', { href: `#/contrats/${p.contract}` }, 'Retour au contrat')),
    p.status === 'accepted' ? hireForm(p) : null,
    hoursSection, outcomesSection);
  // A subcontracting amount takes the contract's sizing by default: the form says which.
  const contract = p.route === 'sous_traitance_siae' ? await api('GET', `/v1/contracts/${p.contract}`).catch(() => null) : null;
  renderHours(p, hoursSection, contract);
  renderOutcomes(p, outcomesSection);
}

function hireForm(p) {
  const error = h('p', { class: 'error', role: 'alert' });
  const employer = h('input', { id: 'employer', name: 'employer', autocomplete: 'organization' });
  const form = h('form', { class: 'card' },
    h('p', {}, 'La proposition est acceptée : enregistrez l’embauche.'),
    h('div', { class: 'field' }, h('label', { for: 'employer' }, 'Employeur (vide : le titulaire du marché)'), employer),
    error, h('button', { type: 'submit' }, 'Enregistrer l’embauche'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', `/v1/placements/${p.id}/hire`, employer.value ? { employer: employer.value } : {});
      placementPage(p.id);
    } catch (e) {
      const names = { '/employer': 'employeur', '/hire_date': 'date d’embauche', '/contract_type': 'type de contrat', '/route': 'filière' };
      error.textContent = e.errors.length ? `Embauche refusée : ${e.errors.map((x) => `${names[x.pointer] || 'embauche'} : ${fieldText(x)}`).join(' ; ')}.`
        : `Embauche refusée : ${e.message}`;
    }
  });
  return form;
}

// A subcontracting amount converted into hours (docs/lifecycle.md, "Subcontracting amounts"):
// "4 000 € HT × 60 % ÷ 30 €/h".
const euro = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 2 });
function conversion(a) {
  return `${euro.format(a.amount_eur)} HT × ${frNum(a.labour_share * 100)} % ÷ ${euro.format(a.hourly_cost_eur)}/h`;
}

// The contract's sizing, which the server takes for a subcontracting amount's labour share and
// hourly cost when the form leaves them empty (30 €/h without one).
function sizingHelp(sizing) {
  const share = sizing && sizing.labour_share > 0 ? `${frNum(sizing.labour_share * 100)} %` : null;
  const cost = sizing && sizing.hourly_cost_eur > 0 ? sizing.hourly_cost_eur : 30;
  return {
    share: share ? `Vide : celle du dimensionnement du contrat, ${share}.`
      : 'Le contrat n’a pas de dimensionnement : indiquez la part (obligatoire).',
    cost: `Vide : ${sizing && sizing.hourly_cost_eur > 0 ? 'celui du dimensionnement du contrat' : 'le coût par défaut'}, `
      + `${euro.format(cost)} de l’heure.`,
  };
}

function renderHours(p, root, contract) {
  root.replaceChildren(h('h2', { id: 'hours-title' }, 'Heures réalisées'));
  const months = p.effective_hours || [];
  const amounts = p.route === 'sous_traitance_siae' || months.some((m) => m.amount);
  const rows = months.map((m) => [m.month, `${frNum(m.hours)} h`,
    ...(amounts ? [m.amount ? `${conversion(m.amount)} = ${frNum(m.hours)} h` : '— (déclaré en heures)'] : []),
    frDate(m.reported_on)]);
  root.append(rows.length ? table('Heures par mois (dernier relevé)',
    ['Mois', 'Heures', ...(amounts ? ['Montant sous-traité (conversion)'] : []), 'Déclarées le'], rows)
    : h('p', {}, 'Aucune heure déclarée.'));
  root.append(h('p', {}, `Total : ${frNum(p.hours_worked)} h.`));
  if (p.status !== 'hired' && p.status !== 'ended') return;
  const field = (id, labelText, input, help, key = id) => {
    const error = h('p', { class: 'field-error', id: `${key}-error` });
    const helpEl = help ? h('p', { class: 'help', id: `${key}-help` }, help) : null;
    input.id = id;
    input.setAttribute('aria-describedby', `${helpEl ? `${key}-help ` : ''}${key}-error`);
    return { input, error, box: h('div', { class: 'field' }, h('label', { for: id }, labelText), input, helpEl, error) };
  };
  const month = field('month', 'Mois', h('input', { name: 'month', type: 'month', required: true }));
  const hours = field('hours', 'Heures travaillées', h('input', { name: 'hours', type: 'number', min: 0, step: '0.5', required: true }));
  const reported = field('reported_on', 'Déclarées le', h('input', { name: 'reported_on', type: 'date' }),
    'Vide : aujourd’hui. Pas avant le premier jour du mois.', 'reported');
  const fields = { '/month': month, '/hours': hours, '/reported_on': reported };
  // A subcontracting placement (route sous_traitance_siae) may report the amount invoiced instead,
  // converted by the server: amount × labour share ÷ hourly cost.
  let byAmount = null;
  let modeBox = null;
  let amountBox = null;
  if (p.route === 'sous_traitance_siae') {
    const help = sizingHelp(contract && contract.sizing);
    const amount = field('amount_eur', 'Montant facturé par la SIAE pour le mois (€ HT)',
      h('input', { name: 'amount_eur', type: 'number', min: 0, step: 'any', required: true }),
      'La part de la facture correspondant au travail de cette personne.');
    const share = field('labour_share', 'Part de la main-d’œuvre dans le montant (%)',
      h('input', { name: 'labour_share', type: 'number', min: 0, max: 100, step: 'any' }), help.share);
    const cost = field('hourly_cost_eur', 'Coût horaire chargé (€)',
      h('input', { name: 'hourly_cost_eur', type: 'number', min: 1, max: 1000, step: 'any' }), help.cost);
    Object.assign(fields, { '/amount_eur': amount, '/labour_share': share, '/hourly_cost_eur': cost });
    byAmount = h('input', { type: 'radio', name: 'hours-mode', id: 'mode-amount', value: 'amount', checked: true });
    const byHours = h('input', { type: 'radio', name: 'hours-mode', id: 'mode-hours', value: 'hours' });
    amountBox = h('div', {}, amount.box, share.box, cost.box);
    const toggle = () => {
      amountBox.hidden = !byAmount.checked;
      hours.box.hidden = byAmount.checked;
    };
    byAmount.addEventListener('change', toggle);
    byHours.addEventListener('change', toggle);
    modeBox = h('fieldset', {}, h('legend', {}, 'Déclarer'), h('div', { class: 'checks' },
      h('label', { class: 'check' }, byAmount, ' un montant facturé, converti en heures'),
      h('label', { class: 'check' }, byHours, ' un nombre d’heures')));
    toggle();
  }
  const result = h('p', { role: 'status', id: 'hours-result' });
  const form = h('form', { class: 'card', novalidate: true },
    h('h3', {}, 'Déclarer un mois'),
    month.box, modeBox, amountBox, hours.box, reported.box,
    result, h('button', { type: 'submit' }, 'Déclarer'));
  const num = (f) => (f.input.value.trim() === '' ? null : Number(f.input.value));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
    result.textContent = '';
    try {
      const report = { month: month.input.value };
      if (byAmount && byAmount.checked) {
        report.amount_eur = num(fields['/amount_eur']);
        const share = num(fields['/labour_share']);
        if (share !== null) report.labour_share = share / 100;
        const cost = num(fields['/hourly_cost_eur']);
        if (cost !== null) report.hourly_cost_eur = cost;
      } else {
        report.hours = num(hours);
      }
      if (reported.input.value) report.reported_on = reported.input.value;
      const updated = await api('POST', `/v1/placements/${p.id}/hours`, report);
      const r = updated.report;
      Object.assign(p, updated);
      renderHours(p, root, contract);
      root.querySelector('#hours-result').textContent = `${r.month} : `
        + `${r.amount ? `${conversion(r.amount)} = ` : ''}${frNum(r.hours)} h enregistrées`
        + `${r.correction ? ' (correction)' : ''} ; plafond du mois ${frNum(r.max_hours)} h `
        + `(${r.working_days} jours ouvrés).`;
    } catch (e) {
      let shown = false;
      for (const x of e.errors) {
        // An amount left empty is refused as missing hours: said beside the amount.
        const byAmountNow = byAmount && byAmount.checked;
        const target = fields[byAmountNow && x.pointer === '/hours' ? '/amount_eur' : x.pointer];
        if (!target) continue;
        target.input.setAttribute('aria-invalid', 'true');
        target.error.textContent = target.error.textContent ? `${target.error.textContent} ; ${fieldText(x)}` : fieldText(x);
        shown = true;
      }
      if (!shown) result.textContent = `Déclaration refusée : ${e.message}`;
      (shown ? form.querySelector('[aria-invalid=true]') : month.input).focus();
    }
  });
  root.append(form);
}

// The situation 6 or 12 months after entry: the records so far (the last one of a horizon counts),
// and a form for a hired or ended placement.
function renderOutcomes(p, root) {
  root.replaceChildren(h('h2', { id: 'outcomes-title' }, 'Situation à la sortie'));
  const records = p.outcomes || [];
  root.append(records.length
    ? table('Situations relevées (la dernière d’un horizon compte)', ['Horizon', 'Situation', 'Catégorie', 'Relevée le'],
      records.map((o) => [`${o.months_after_entry} mois`, label(outcomes, o.outcome),
        (outcomeCategory(o.outcome) || { label: '—' }).label, frDate(o.recorded_on)]))
    : h('p', {}, 'Aucune situation relevée.'));
  if (p.status !== 'hired' && p.status !== 'ended') return;
  const horizon = h('select', { id: 'outcome-horizon', name: 'months_after_entry', 'aria-describedby': 'outcome-horizon-error' },
    h('option', { value: '6' }, '6 mois après l’entrée'), h('option', { value: '12' }, '12 mois après l’entrée'));
  const outcome = h('select', { id: 'outcome', name: 'outcome', 'aria-describedby': 'outcome-error' },
    outcomeCategories.map((c) => h('optgroup', { label: c.label },
      c.outcomes.map((k) => h('option', { value: k }, label(outcomes, k))))));
  const recorded = h('input', { id: 'outcome-recorded-on', name: 'recorded_on', type: 'date', 'aria-describedby': 'outcome-recorded-help outcome-recorded-error' });
  const errors = {
    '/months_after_entry': [horizon, h('p', { class: 'field-error', id: 'outcome-horizon-error' })],
    '/outcome': [outcome, h('p', { class: 'field-error', id: 'outcome-error' })],
    '/recorded_on': [recorded, h('p', { class: 'field-error', id: 'outcome-recorded-error' })],
  };
  const result = h('p', { role: 'status', id: 'outcome-result' });
  const form = h('form', { class: 'card', novalidate: true },
    h('h3', {}, 'Relever la situation'),
    h('div', { class: 'field' }, h('label', { for: 'outcome-horizon' }, 'Horizon'), horizon, errors['/months_after_entry'][1]),
    h('div', { class: 'field' }, h('label', { for: 'outcome' }, 'Situation'), outcome, errors['/outcome'][1]),
    h('div', { class: 'field' }, h('label', { for: 'outcome-recorded-on' }, 'Relevée le'), recorded,
      h('p', { class: 'help', id: 'outcome-recorded-help' },
        `Vide : aujourd’hui. Pas avant l’entrée plus l’horizon (entrée le ${frDate(p.start)}).`), errors['/recorded_on'][1]),
    result, h('button', { type: 'submit' }, 'Enregistrer la situation'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const [input, err] of Object.values(errors)) {
      input.removeAttribute('aria-invalid');
      err.textContent = '';
    }
    result.textContent = '';
    const record = { months_after_entry: Number(horizon.value), outcome: outcome.value };
    if (recorded.value) record.recorded_on = recorded.value;
    try {
      const updated = await api('POST', `/v1/placements/${p.id}/outcomes`, record);
      Object.assign(p, updated);
      renderOutcomes(p, root);
      root.querySelector('#outcome-result').textContent = `Situation à ${record.months_after_entry} mois enregistrée : `
        + `${label(outcomes, record.outcome)}.`;
    } catch (e) {
      let shown = false;
      for (const x of e.errors) {
        const target = errors[x.pointer];
        if (!target) continue;
        target[0].setAttribute('aria-invalid', 'true');
        target[1].textContent = fieldText(x);
        shown = true;
      }
      if (!shown) result.textContent = `Situation refusée : ${e.message}`;
      (shown ? form.querySelector('[aria-invalid=true]') : horizon).focus();
    }
  });
  root.append(form);
}
