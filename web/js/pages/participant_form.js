// The prescriber's participant form: every field of the record (docs/formats.md), communes and
// ROME appellations completed from the server's reference data, and each problem of a refused
// attempt shown beside its field (the problem+json pointer names it).
import { api, frCode } from '../api.js';
import { h, page, say } from '../dom.js';
import { criteria } from '../labels.js';

const kinds = { france_travail: 'France Travail', mission_locale: 'Mission locale', cap_emploi: 'Cap emploi', plie: 'PLIE',
  departement: 'Département', spip: 'SPIP', ase: 'ASE', ccas: 'CCAS', siae: 'SIAE', autre: 'Autre' };
const modes = { transports_en_commun: 'Transports en commun', voiture: 'Voiture', deux_roues: 'Deux-roues', velo: 'Vélo', marche: 'Marche' };
const licences = ['AM', 'A', 'B', 'BE', 'C', 'CE', 'D', 'DE', 'CACES'];

let uid = 0;
function field(labelText, input, { help, pointer, fields } = {}) {
  const id = input.id || `f${++uid}`;
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  const helpEl = help ? h('p', { class: 'help', id: `${id}-help` }, help) : null;
  input.setAttribute('aria-describedby', [helpEl ? `${id}-help` : '', `${id}-error`].join(' ').trim());
  if (pointer && fields) fields.set(pointer, { input, error });
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), input, helpEl, error);
}

function select(name, options, value) {
  return h('select', { name }, Object.entries(options).map(([k, v]) => h('option', { value: k, selected: k === value }, v)));
}

// An input completed from a search endpoint, through a <datalist> (the browser's own, accessible,
// list): the options read "Amiens (80021)".
function completed(input, endpoint, show) {
  const list = h('datalist', { id: `${input.id || input.name}-list` });
  input.setAttribute('list', list.id);
  let last = '';
  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || q === last || /\(\d+\w*\)$/.test(q)) return;
    timer = setTimeout(async () => {
      last = q;
      try {
        const r = await api('GET', `${endpoint}?q=${encodeURIComponent(q)}&limit=10`);
        list.replaceChildren(...r.items.map((x) => h('option', { value: show(x) })));
      } catch { /* the field stays free text */ }
    }, 150);
  });
  return list;
}

const codeIn = (text) => { const m = /\(([0-9AB]+)\)\s*$/.exec(text.trim()); return m ? m[1] : text.trim(); };

export function participantFormPage() {
  const fields = new Map();
  const txt = (name, type = 'text', attrs = {}) => h('input', { name, id: name, type, ...attrs });
  const inputs = {
    external_ref: txt('external_ref'), prescriber_kind: select('prescriber_kind', kinds, 'france_travail'),
    first_name: txt('first_name', 'text', { autocomplete: 'off' }), last_name: txt('last_name', 'text', { autocomplete: 'off' }),
    birth_date: txt('birth_date', 'date'), email: txt('email', 'email', { autocomplete: 'off' }), phone: txt('phone', 'tel', { autocomplete: 'off' }),
    diagnosis_date: txt('diagnosis_date', 'date'),
    derogation_granted_on: txt('derogation_granted_on', 'date'), derogation_granted_by: txt('derogation_granted_by'),
    derogation_reason: txt('derogation_reason'),
    commune: txt('commune', 'text', { autocomplete: 'off' }), latitude: txt('latitude', 'number', { step: 'any' }),
    longitude: txt('longitude', 'number', { step: 'any' }),
    mobility_radius_km: txt('mobility_radius_km', 'number', { min: 2, max: 100, value: 25 }),
    mobility_mode: select('mobility_mode', modes, 'transports_en_commun'),
    appellation: txt('appellation', 'text', { autocomplete: 'off' }), wanted_fiches: txt('wanted_fiches'), skills: txt('skills'),
    available_from: txt('available_from', 'date'), weekly_hours_wanted: txt('weekly_hours_wanted', 'number', { min: 1, max: 48, step: '0.5', value: 35 }),
    consent: h('input', { type: 'checkbox', id: 'consent', name: 'consent' }), consent_date: txt('consent_date', 'date'),
    registration_date: txt('registration_date', 'date', { value: new Date().toISOString().slice(0, 10) }),
  };
  inputs.first_name.required = true;
  inputs.last_name.required = true;
  const communeList = completed(inputs.commune, '/v1/referential/communes', (c) => `${c.name} (${c.insee})`);
  const appellationList = completed(inputs.appellation, '/v1/referential/appellations', (a) => `${a.label} (${a.code})`);

  // Wanted appellations: chosen from the completion, listed with a button to take each back.
  const wanted = [];
  const chips = h('ul', { class: 'chips', 'aria-label': 'Métiers recherchés choisis' });
  const renderChips = () => chips.replaceChildren(...wanted.map((a, i) => h('li', {}, a.text, ' ',
    h('button', { type: 'button', class: 'link', 'aria-label': `Retirer ${a.text}`, onclick: () => { wanted.splice(i, 1); renderChips(); } }, '×'))));
  const addAppellation = () => {
    const code = Number(codeIn(inputs.appellation.value));
    if (!Number.isInteger(code) || code <= 0) return;
    if (!wanted.some((a) => a.code === code)) wanted.push({ code, text: inputs.appellation.value.trim() });
    inputs.appellation.value = '';
    renderChips();
  };
  inputs.appellation.addEventListener('change', addAppellation);

  // Criteria: one row each (criterion, proof date, valid until, validated by).
  const rows = [];
  const criteriaBox = h('div', { class: 'criteria' });
  const addRow = () => {
    const i = rows.length;
    const row = {
      criterion: select(`criterion-${i}`, { '': '— choisir —', ...criteria }, ''),
      proof_date: h('input', { type: 'date', name: `proof_date-${i}` }),
      valid_until: h('input', { type: 'date', name: `valid_until-${i}` }),
      validated_by: h('input', { type: 'text', name: `validated_by-${i}` }),
    };
    rows.push(row);
    criteriaBox.append(h('fieldset', { class: 'criterion' }, h('legend', {}, `Critère ${i + 1}`),
      field('Critère', row.criterion, { pointer: `/criteria/${i}/criterion`, fields }),
      field('Date du justificatif', row.proof_date, { pointer: `/criteria/${i}/proof_date`, fields }),
      field('Valable jusqu’au', row.valid_until, { pointer: `/criteria/${i}/valid_until`, fields, help: 'RQTH, titre de séjour, PASS IAE' }),
      field('Validé par', row.validated_by, { pointer: `/criteria/${i}/validated_by`, fields })));
    const whole = { input: row.criterion, error: criteriaBox.querySelector(`#${row.criterion.id}-error`) };
    fields.set(`/criteria/${i}`, whole);
    if (i === 0) fields.set('/criteria', whole);
  };
  addRow();

  const licenceBoxes = licences.map((l) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'licence', value: l }), ` ${l}`));
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const F = (label, key, opts = {}) => field(label, inputs[key], { pointer: opts.pointer || `/${key}`, fields, help: opts.help });

  const form = h('form', { class: 'card participant', novalidate: true },
    summary,
    h('fieldset', {}, h('legend', {}, 'Identité'),
      F('Prénom (obligatoire)', 'first_name'), F('Nom (obligatoire)', 'last_name'), F('Date de naissance (obligatoire)', 'birth_date'),
      F('Courriel', 'email'), F('Téléphone', 'phone'), F('Référence interne', 'external_ref'), F('Type de prescripteur', 'prescriber_kind')),
    h('fieldset', {}, h('legend', {}, 'Éligibilité'), criteriaBox,
      h('button', { type: 'button', class: 'secondary', onclick: addRow }, 'Ajouter un critère'),
      F('Date du diagnostic', 'diagnosis_date'),
      F('Dérogation accordée le', 'derogation_granted_on', { pointer: '/derogation/granted_on' }),
      F('Dérogation accordée par', 'derogation_granted_by', { pointer: '/derogation/granted_by' }),
      F('Motif de la dérogation', 'derogation_reason', { pointer: '/derogation/reason' })),
    h('fieldset', {}, h('legend', {}, 'Domicile et mobilité'),
      field('Commune de résidence (obligatoire)', inputs.commune, { pointer: '/commune_insee', fields, help: 'Tapez le nom, le code postal ou le code INSEE.' }),
      communeList,
      F('Latitude', 'latitude', { pointer: '/location/lat' }), F('Longitude', 'longitude', { pointer: '/location/lon' }),
      F('Rayon de mobilité (km)', 'mobility_radius_km'), F('Mode de déplacement', 'mobility_mode'),
      h('fieldset', {}, h('legend', {}, 'Permis et habilitations'), h('div', { class: 'checks' }, licenceBoxes))),
    h('fieldset', {}, h('legend', {}, 'Projet professionnel'),
      field('Métier recherché (appellation ROME)', inputs.appellation, { pointer: '/wanted_appellations', fields, help: 'Tapez un métier puis choisissez-le dans la liste.' }),
      appellationList, chips,
      F('Fiches ROME recherchées', 'wanted_fiches', { help: 'Codes séparés par des virgules, ex. F1704' }),
      F('Compétences (codes)', 'skills', { help: 'Codes séparés par des virgules' }),
      F('Disponible à partir du (obligatoire)', 'available_from'), F('Heures par semaine souhaitées', 'weekly_hours_wanted')),
    h('fieldset', {}, h('legend', {}, 'Consentement et inscription'),
      h('div', { class: 'field' }, h('label', { class: 'check' }, inputs.consent, ' La personne consent au traitement de ses données'),
        h('p', { class: 'field-error', id: 'consent-error' })),
      F('Date du consentement', 'consent_date'), F('Date d’inscription (obligatoire)', 'registration_date')),
    h('button', { type: 'submit' }, 'Enregistrer la personne'));
  fields.set('/consent', { input: inputs.consent, error: form.querySelector('#consent-error') });

  const body = () => {
    const v = (k) => inputs[k].value.trim();
    const b = { prescriber_kind: v('prescriber_kind'), first_name: v('first_name'), last_name: v('last_name'),
      mobility_mode: v('mobility_mode'), consent: inputs.consent.checked };
    for (const k of ['external_ref', 'birth_date', 'email', 'phone', 'diagnosis_date', 'available_from', 'consent_date', 'registration_date'])
      if (v(k)) b[k] = v(k);
    if (v('commune')) b.commune_insee = codeIn(v('commune'));
    for (const k of ['mobility_radius_km', 'weekly_hours_wanted']) if (v(k)) b[k] = Number(v(k));
    if (v('latitude') || v('longitude')) b.location = { lat: Number(v('latitude')), lon: Number(v('longitude')) };
    if (v('derogation_granted_on') || v('derogation_granted_by') || v('derogation_reason'))
      b.derogation = { granted_on: v('derogation_granted_on'), granted_by: v('derogation_granted_by'), reason: v('derogation_reason') };
    b.criteria = rows.filter((r) => r.criterion.value).map((r) => {
      const c = { criterion: r.criterion.value };
      if (r.proof_date.value) c.proof_date = r.proof_date.value;
      if (r.valid_until.value) c.valid_until = r.valid_until.value;
      if (r.validated_by.value.trim()) c.validated_by = r.validated_by.value.trim();
      return c;
    });
    b.licences = [...form.querySelectorAll('input[name=licence]:checked')].map((x) => x.value);
    if (inputs.appellation.value.trim()) addAppellation();
    b.wanted_appellations = wanted.map((a) => a.code);
    const list = (k) => v(k).split(/[\s,;|]+/).filter(Boolean);
    if (list('wanted_fiches').length) b.wanted_fiches = list('wanted_fiches');
    if (list('skills').length) b.skills = list('skills').map(Number);
    return b;
  };

  const clearErrors = () => {
    for (const { input, error } of fields.values()) {
      input.removeAttribute('aria-invalid');
      if (error) error.textContent = '';
    }
    summary.hidden = true;
    summary.replaceChildren();
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    try {
      const created = await api('POST', '/v1/participants', body());
      say(`${created.first_name} ${created.last_name} est enregistré(e) (n° ${created.id}).`);
      location.hash = '#/personnes';
    } catch (e) {
      const unplaced = [];
      for (const x of e.errors) {
        let key = x.pointer || '';
        while (key && !fields.has(key)) key = key.slice(0, key.lastIndexOf('/'));
        const target = fields.get(key);
        const text = frCode(x.code) !== x.code ? frCode(x.code) : (x.detail || x.code);
        if (!target) { unplaced.push(`${x.pointer} : ${text}`); continue; }
        target.input.setAttribute('aria-invalid', 'true');
        if (target.error) target.error.textContent = target.error.textContent ? `${target.error.textContent} ; ${text}` : text;
      }
      summary.hidden = false;
      summary.append(h('p', {}, `La personne n’est pas enregistrée : ${e.errors.length || 1} erreur(s), signalée(s) à côté `
        + `des champs. ${e.errors.length ? '' : e.message}`));
      if (unplaced.length) summary.append(h('ul', {}, unplaced.map((t) => h('li', {}, t))));
      const first = form.querySelector('[aria-invalid=true]');
      (first || summary).focus();
    }
  });
  page('Nouvelle personne', h('p', {}, 'Les champs marqués « obligatoire » sont nécessaires ; les erreurs s’affichent à côté de chaque champ.'), form);
}
