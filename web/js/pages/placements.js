// A placement, its monthly hours and its outcomes: the hours form reports a month, the answer
// shows the month's cap, and a report over the cap is refused by the server (shown beside the
// field); the outcomes form records the situation 6 or 12 months after entry.
import { api, frField } from '../api.js';
import { h, page, frDate, frNum, table } from '../dom.js';
import { label, status, outcomes, routes, contractTypes } from '../labels.js';

// Beside a field: the French word for the problem's code; for a report over the month's cap, the
// cap's figures too (the server's detail gives them: "… 6 working days at 35 h/week give 42 h, at
// most 56 h with overtime").
function fieldText(x) {
  const m = x.code === 'over_cap' && /(\d+) working days at ([\d.]+) h\/week give ([\d.]+) h, at most ([\d.]+) h/.exec(x.detail || '');
  return m ? `${frField(x)} : ${m[1]} jours ouvrés à ${frNum(Number(m[2]))} h par semaine donnent ${frNum(Number(m[3]))} h, `
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
  renderHours(p, hoursSection);
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

function renderHours(p, root) {
  root.replaceChildren(h('h2', { id: 'hours-title' }, 'Heures réalisées'));
  const rows = (p.effective_hours || []).map((m) => [m.month, `${frNum(m.hours)} h`, frDate(m.reported_on)]);
  root.append(rows.length ? table('Heures par mois (dernier relevé)', ['Mois', 'Heures', 'Déclarées le'], rows)
    : h('p', {}, 'Aucune heure déclarée.'));
  root.append(h('p', {}, `Total : ${frNum(p.hours_worked)} h.`));
  if (p.status !== 'hired' && p.status !== 'ended') return;
  const month = h('input', { id: 'month', name: 'month', type: 'month', required: true, 'aria-describedby': 'month-error' });
  const hours = h('input', { id: 'hours', name: 'hours', type: 'number', min: 0, step: '0.5', required: true, 'aria-describedby': 'hours-error' });
  const reported = h('input', { id: 'reported_on', name: 'reported_on', type: 'date', 'aria-describedby': 'reported-help reported-error' });
  const reportedError = h('p', { class: 'field-error', id: 'reported-error' });
  const monthError = h('p', { class: 'field-error', id: 'month-error' });
  const hoursError = h('p', { class: 'field-error', id: 'hours-error' });
  const result = h('p', { role: 'status', id: 'hours-result' });
  const form = h('form', { class: 'card', novalidate: true },
    h('h3', {}, 'Déclarer un mois'),
    h('div', { class: 'field' }, h('label', { for: 'month' }, 'Mois'), month, monthError),
    h('div', { class: 'field' }, h('label', { for: 'hours' }, 'Heures travaillées'), hours, hoursError),
    h('div', { class: 'field' }, h('label', { for: 'reported_on' }, 'Déclarées le'), reported,
      h('p', { class: 'help', id: 'reported-help' }, 'Vide : aujourd’hui. Pas avant le premier jour du mois.'), reportedError),
    result, h('button', { type: 'submit' }, 'Déclarer'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const [input, err] of [[month, monthError], [hours, hoursError], [reported, reportedError]]) {
      err.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    result.textContent = '';
    try {
      const report = { month: month.value, hours: hours.value === '' ? null : Number(hours.value) };
      if (reported.value) report.reported_on = reported.value;
      const updated = await api('POST', `/v1/placements/${p.id}/hours`, report);
      const r = updated.report;
      Object.assign(p, updated);
      renderHours(p, root);
      root.querySelector('#hours-result').textContent = `${r.month} : ${frNum(r.hours)} h enregistrées`
        + `${r.correction ? ' (correction)' : ''} ; plafond du mois ${frNum(r.max_hours)} h `
        + `(${r.working_days} jours ouvrés).`;
    } catch (e) {
      let shown = false;
      for (const x of e.errors) {
        const target = { '/month': [month, monthError], '/hours': [hours, hoursError], '/reported_on': [reported, reportedError] }[x.pointer];
        if (!target) continue;
        target[0].setAttribute('aria-invalid', 'true');
        target[1].textContent = fieldText(x);
        shown = true;
      }
      if (!shown) result.textContent = `Déclaration refusée : ${e.message}`;
      (shown ? form.querySelector('[aria-invalid=true]') : month).focus();
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
    ? table('Situations relevées (la dernière d’un horizon compte)', ['Horizon', 'Situation', 'Relevée le'],
      records.map((o) => [`${o.months_after_entry} mois`, label(outcomes, o.outcome), frDate(o.recorded_on)]))
    : h('p', {}, 'Aucune situation relevée.'));
  if (p.status !== 'hired' && p.status !== 'ended') return;
  const horizon = h('select', { id: 'outcome-horizon', name: 'months_after_entry', 'aria-describedby': 'outcome-horizon-error' },
    h('option', { value: '6' }, '6 mois après l’entrée'), h('option', { value: '12' }, '12 mois après l’entrée'));
  const outcome = h('select', { id: 'outcome', name: 'outcome', 'aria-describedby': 'outcome-error' },
    Object.entries(outcomes).map(([k, v]) => h('option', { value: k }, v)));
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
