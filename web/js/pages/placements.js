// A placement and its monthly hours: the form reports a month; the answer shows the month's cap,
// and a report over the cap is refused by the server (shown beside the field).
import { api, frCode } from '../api.js';
import { h, page, frDate, frNum, table } from '../dom.js';
import { label, status } from '../labels.js';

export async function placementPage(id) {
  const p = await api('GET', `/v1/placements/${id}`);
  const hoursSection = h('section', { 'aria-labelledby': 'hours-title' }, h('h2', { id: 'hours-title' }, 'Heures réalisées'));
  page(`Mise en poste n° ${id}`,
    h('p', {}, `Offre n° ${p.opening} · ${label(status, p.status)} · du ${frDate(p.start)} au ${frDate(p.end)}, `
      + `${frNum(p.weekly_hours)} h par semaine · employeur : ${p.employer || '—'}.`),
    p.status === 'accepted' ? hireForm(p) : null,
    hoursSection);
  renderHours(p, hoursSection);
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
      error.textContent = e.errors.length ? e.errors.map((x) => `${x.pointer} : ${x.detail}`).join(' ; ') : e.message;
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
        target[1].textContent = `${frCode(x.code)} : ${x.detail}`;
        shown = true;
      }
      if (!shown) result.textContent = e.message;
      (shown ? form.querySelector('[aria-invalid=true]') : month).focus();
    }
  });
  root.append(form);
}
