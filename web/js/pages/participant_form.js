// The prescriber's participant form: every field of the record (docs/formats.md), communes and
// ROME appellations completed from the server's reference data, and each problem of a refused
// attempt shown beside its field (the problem+json pointer names it). The same form edits a
// participant (PUT /v1/participants/{id}, filled from the record) and offers the withdrawal.
import { api, showRefusal } from '../api.js';
import { h, page, sayAfter } from '../dom.js';
import { criteria } from '../labels.js';
import { completed, codeIn } from '../complete.js';

const kinds = { france_travail: 'France Travail', mission_locale: 'Mission locale', cap_emploi: 'Cap emploi', plie: 'PLIE',
  departement: 'Département', spip: 'SPIP', ase: 'ASE', ccas: 'CCAS', siae: 'SIAE', autre: 'Autre' };
const modes = { transports_en_commun: 'Transports en commun', voiture: 'Voiture', deux_roues: 'Deux-roues', velo: 'Vélo', marche: 'Marche' };
const sexes = { non_renseigne: 'Non renseigné', femme: 'Femme', homme: 'Homme' };
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

// The participant whose record is open (#/personnes/fiche): kept here, never in the URL.
let selected = 0;

export function openParticipant(id) {
  selected = id;
  if (location.hash === '#/personnes/fiche') participantPage();
  else location.hash = '#/personnes/fiche';
}

export async function participantPage() {
  if (!selected) {
    location.replace('#/personnes');
    return;
  }
  participantFormPage(await api('GET', `/v1/participants/${selected}`));
}

// Fields of the record the form does not show but a replacement must keep (PUT replaces the whole
// profile): everything else the server sent, minus what the server keeps itself.
const serverKept = ['id', 'status', 'prescriber_org', 'open_proposals', 'last_proposal_date'];
const formKeys = ['external_ref', 'prescriber_kind', 'first_name', 'last_name', 'sex', 'birth_date', 'email', 'phone', 'diagnosis_date',
  'derogation', 'commune_insee', 'location', 'mobility_radius_km', 'mobility_mode', 'licences', 'wanted_appellations',
  'wanted_fiches', 'skills', 'available_from', 'weekly_hours_wanted', 'consent', 'consent_date', 'registration_date', 'criteria'];

// existing: the participant as GET /v1/participants/{id} gives it (edit), or nothing (creation).
export function participantFormPage(existing = null) {
  const fields = new Map();
  const txt = (name, type = 'text', attrs = {}) => h('input', { name, id: name, type, ...attrs });
  const inputs = {
    external_ref: txt('external_ref'), prescriber_kind: select('prescriber_kind', kinds, 'france_travail'),
    first_name: txt('first_name', 'text', { autocomplete: 'off' }), last_name: txt('last_name', 'text', { autocomplete: 'off' }),
    sex: select('sex', sexes, 'non_renseigne'),
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
  if (existing) fill(inputs, existing);
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
  if (existing) {
    for (const code of existing.wanted_appellations || []) wanted.push({ code, text: `appellation ${code}` });
    renderChips();
    // The labels of the wanted trades, from the reference data (the record holds their codes).
    Promise.all(wanted.map(async (a) => {
      const r = await api('GET', `/v1/referential/appellations?q=${a.code}&limit=10`).catch(() => ({ items: [] }));
      const found = r.items.find((x) => x.code === a.code);
      if (found) a.text = `${found.label} (${a.code})`;
    })).then(renderChips);
  }

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
  if (existing && (existing.criteria || []).length) {
    for (const c of existing.criteria) {
      addRow();
      const row = rows[rows.length - 1];
      row.criterion.value = c.criterion;
      row.proof_date.value = c.proof_date || '';
      row.valid_until.value = c.valid_until || '';
      row.validated_by.value = c.validated_by || '';
    }
  } else {
    addRow();
  }

  const licenceBoxes = licences.map((l) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'licence', value: l, checked: Boolean(existing && (existing.licences || []).includes(l)) }), ` ${l}`));
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const F = (label, key, opts = {}) => field(label, inputs[key], { pointer: opts.pointer || `/${key}`, fields, help: opts.help });

  const form = h('form', { class: 'card participant', novalidate: true },
    summary,
    h('fieldset', {}, h('legend', {}, 'Identité'),
      F('Prénom (obligatoire)', 'first_name'), F('Nom (obligatoire)', 'last_name'), F('Date de naissance (obligatoire)', 'birth_date'),
      F('Sexe', 'sex', { help: 'Sert aux bilans des financeurs, jamais au classement.' }),
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
    h('button', { type: 'submit', disabled: Boolean(existing && existing.status === 'withdrawn') },
      existing ? 'Enregistrer les modifications' : 'Enregistrer la personne'));
  fields.set('/consent', { input: inputs.consent, error: form.querySelector('#consent-error') });

  const body = () => {
    const v = (k) => inputs[k].value.trim();
    const kept = {};
    if (existing) {
      for (const [k, x] of Object.entries(existing)) if (!serverKept.includes(k) && !formKeys.includes(k)) kept[k] = x;
    }
    const b = { ...kept, prescriber_kind: v('prescriber_kind'), first_name: v('first_name'), last_name: v('last_name'),
      mobility_mode: v('mobility_mode'), sex: v('sex'), consent: inputs.consent.checked };
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
      const created = existing ? await api('PUT', `/v1/participants/${existing.id}`, body())
        : await api('POST', '/v1/participants', body());
      sayAfter(existing ? `La fiche de ${created.first_name} ${created.last_name} est modifiée.`
        : `${created.first_name} ${created.last_name} est enregistré(e) (n° ${created.id}).`);
      if (existing) location.hash = '#/personnes';
      else openParticipant(created.id);
    } catch (e) {
      showRefusal(e, { fields, summary, form, what: existing ? 'La fiche n’est pas modifiée' : 'La personne n’est pas enregistrée' });
    }
  });
  const intro = h('p', {}, 'Les champs marqués « obligatoire » sont nécessaires ; les erreurs s’affichent à côté de chaque champ.');
  if (!existing) {
    page('Nouvelle personne', intro, form);
    return;
  }
  const name = `${existing.first_name} ${existing.last_name}`;
  page(`Fiche de ${name}`,
    h('p', {}, h('a', { href: '#/personnes' }, 'Retour à la liste')),
    existing.status === 'withdrawn'
      ? h('p', { class: 'card' }, 'Cette personne est sortie du dispositif : sa fiche est gardée pour mémoire et ne peut plus être modifiée.')
      : intro,
    form,
    existing.status === 'withdrawn' ? null : withdrawal(existing, name));
}

// The withdrawal (sortie du dispositif): asked, then confirmed; the record stays, never matched again.
function withdrawal(existing, name) {
  const error = h('p', { class: 'error', role: 'alert' });
  const confirm = h('div', { class: 'card', hidden: true, id: 'withdraw-confirm' },
    h('p', {}, `${name} ne sera plus jamais proposé(e) ; la fiche reste pour mémoire. Confirmer la sortie ?`),
    h('button', {
      type: 'button',
      onclick: async () => {
        try {
          await api('POST', `/v1/participants/${existing.id}/withdraw`);
          sayAfter(`${name} est sorti(e) du dispositif.`);
          location.hash = '#/personnes';
        } catch (e) {
          error.textContent = e.message;
        }
      },
    }, 'Confirmer la sortie'), ' ',
    h('button', { type: 'button', class: 'secondary', onclick: () => { confirm.hidden = true; ask.focus(); } }, 'Annuler'),
    error);
  const ask = h('button', {
    type: 'button', class: 'secondary', 'aria-controls': 'withdraw-confirm',
    onclick: () => { confirm.hidden = false; confirm.querySelector('button').focus(); },
  }, 'Sortir du dispositif…');
  return h('section', { 'aria-labelledby': 'withdraw-title' }, h('h2', { id: 'withdraw-title' }, 'Sortie du dispositif'), ask, confirm);
}

// The form's inputs filled from a record.
function fill(inputs, p) {
  const set = (k, x) => { if (x !== undefined && x !== null) inputs[k].value = String(x); };
  for (const k of ['external_ref', 'prescriber_kind', 'first_name', 'last_name', 'sex', 'birth_date', 'email', 'phone', 'diagnosis_date',
    'mobility_radius_km', 'mobility_mode', 'available_from', 'weekly_hours_wanted', 'consent_date', 'registration_date']) set(k, p[k]);
  set('commune', p.commune_insee);
  if (p.location) { set('latitude', p.location.lat); set('longitude', p.location.lon); }
  if (p.derogation) {
    set('derogation_granted_on', p.derogation.granted_on);
    set('derogation_granted_by', p.derogation.granted_by);
    set('derogation_reason', p.derogation.reason);
  }
  inputs.wanted_fiches.value = (p.wanted_fiches || []).join(', ');
  inputs.skills.value = (p.skills || []).join(', ');
  inputs.consent.checked = Boolean(p.consent);
}
