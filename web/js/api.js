// The one way the console talks to the server: same-origin fetch with the session cookie; every
// request that changes something carries the session's CSRF token. Errors are RFC 9457 problem
// documents, thrown as ApiProblem (status, detail, errors by field).

let csrfToken = '';
export function setCsrf(token) { csrfToken = token || ''; }

// A refusal of the server. `message` is French, chosen by the problem's type (the server's
// `detail` is English, for API clients, and is never shown); the field errors keep their pointer
// and code, which frField turns into French.
export class ApiProblem extends Error {
  constructor(status, body) {
    super(frProblem(status, body));
    this.status = status;
    this.body = body || {};
    this.errors = (body && body.errors) || [];
  }
}

const problemTypes = {
  'bad-request': 'Requête invalide.',
  'invalid-json': 'Requête invalide (données mal formées).',
  unauthenticated: 'Session terminée ou clé refusée : reconnectez-vous.',
  forbidden: 'Action non autorisée pour ce rôle (ou jeton de sécurité de la session manquant).',
  'not-found': 'Introuvable (ou d’une autre organisation).',
  'method-not-allowed': 'Action non prise en charge.',
  conflict: 'Action impossible dans l’état actuel de l’objet.',
  'length-required': 'Requête refusée (longueur manquante).',
  'payload-too-large': 'Envoi trop volumineux.',
  'uri-too-long': 'Adresse trop longue.',
  'unsupported-media-type': 'Type de fichier ou de contenu non accepté.',
  validation: 'Des champs sont invalides.',
  'idempotency-key-reused': 'Cette demande a déjà été envoyée avec un autre contenu.',
  'rate-limited': 'Trop de demandes : réessayez dans un instant.',
  'headers-too-large': 'Requête refusée (en-têtes trop volumineux).',
  internal: 'Erreur interne du serveur : réessayez, puis signalez-la si elle persiste.',
  unavailable: 'Service momentanément indisponible : réessayez dans un instant.',
  'request-timeout': 'La requête n’est pas arrivée à temps : réessayez.',
};
const byStatus = { 400: 'bad-request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'conflict',
  413: 'payload-too-large', 415: 'unsupported-media-type', 422: 'validation', 429: 'rate-limited', 500: 'internal',
  503: 'unavailable' };

// The French sentence for a problem: by its type (urn:clausematch:problem:<slug>), else its status.
export function frProblem(status, body) {
  if (status === 0) return 'Le serveur ne répond pas : vérifiez la connexion, puis réessayez.';
  const slug = String((body && body.type) || '').replace(/^urn:clausematch:problem:/, '');
  const text = problemTypes[slug] || problemTypes[byStatus[status]];
  const request = body && body.request_id ? ` (référence ${body.request_id})` : '';
  return text ? `${text}${status >= 500 ? request : ''}` : `Erreur ${status}${request}.`;
}

export async function api(method, path, body, { contentType = 'application/json', accept } = {}) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (accept) headers.Accept = accept;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiProblem(0, null);
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    const problem = type.includes('json') ? await res.json().catch(() => null) : null;
    const error = new ApiProblem(res.status, problem);
    if (res.status === 401 && path !== '/v1/session') window.dispatchEvent(new CustomEvent('cm-logged-out'));
    throw error;
  }
  if (type.includes('json')) return res.json();
  return res.text();
}

// A file the server renders (CSV): fetched with the session, then saved by the browser.
export async function download(path, filename, accept) {
  const text = await api('GET', path, undefined, { accept });
  save(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
}

// Saves `blob` as `filename` through a temporary link.
function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// A binary file the server renders (an attestation's PDF): fetched with the session, then saved by
// the browser; a refusal is thrown as ApiProblem, like api().
export async function downloadFile(path, filename) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiProblem(0, null);
  }
  if (!res.ok) {
    const type = res.headers.get('Content-Type') || '';
    throw new ApiProblem(res.status, type.includes('json') ? await res.json().catch(() => null) : null);
  }
  save(await res.blob(), filename);
}

// French words for the problem codes the API gives by field (its `detail` stays English, for API
// clients): frField(x) is what the console shows beside a field.
const codes = {
  required: 'obligatoire',
  out_of_range: 'hors des valeurs admises',
  invalid_format: 'format invalide',
  invalid_value: 'valeur invalide',
  invalid: 'valeur invalide',
  invalid_character: 'caractère interdit',
  wrong_type: 'type de valeur inattendu',
  type: 'type de valeur inattendu',
  not_finite: 'nombre invalide',
  forbidden_value: 'valeur interdite',
  empty: 'vide',
  truncated: 'incomplet',
  too_many: 'trop d’éléments',
  duplicate: 'en double',
  inconsistent: 'incohérent avec un autre champ',
  unknown: 'inconnu',
  unknown_field: 'champ inconnu',
  unknown_code: 'code inconnu',
  unknown_commune: 'commune inconnue',
  unknown_appellation: 'appellation ROME inconnue',
  unknown_criterion: 'critère inconnu',
  unknown_contract: 'contrat inconnu',
  not_found: 'introuvable',
  in_future: 'date dans le futur',
  before_month: 'date antérieure au mois',
  before_proof_date: 'date antérieure à celle du justificatif',
  before_decision: 'date antérieure à la décision',
  not_applicable: 'sans objet pour ce critère',
  over_cap: 'au-delà du plafond du mois',
  not_available: 'personne indisponible',
  not_hired: 'embauche non enregistrée',
  not_hireable: 'embauche impossible',
  not_eligible: 'personne non éligible',
  not_accepted: 'proposition non acceptée',
  not_active: 'personne non active',
  not_open: 'offre non ouverte',
  not_editable: 'plus modifiable',
  no_position_left: 'plus de poste libre',
  already_placed: 'déjà en poste',
  proof_expired: 'justificatif périmé',
  outside_territory: 'hors du territoire de l’organisation',
  no_labour_share: 'pas de part de main-d’œuvre connue pour ce métier : indiquez la part',
  conflict: 'donnez l’un ou l’autre, pas les deux',
  unexpected: 'inattendu ici',
  not_subcontracting: 'réservé à la sous-traitance à une SIAE',
};
export function frCode(code) { return codes[code] || 'valeur refusée'; }
export function frField(x) { return frCode(x && x.code); }

// A refusal shown on a form: each error beside the field its pointer names (the nearest field up
// the pointer: /criteria/0/proof_date, else /criteria/0, else /criteria), aria-invalid on the
// input; the errors no field takes, and the count, in the summary at the top; focus to the first
// field in error. fields: Map pointer -> { input, error }.
export function showRefusal(e, { fields, summary, form, what }) {
  const unplaced = [];
  for (const x of e.errors) {
    let key = x.pointer || '';
    while (key && !fields.has(key)) key = key.slice(0, key.lastIndexOf('/'));
    const target = fields.get(key);
    const text = frField(x);
    if (!target) { unplaced.push(text); continue; }
    target.input.setAttribute('aria-invalid', 'true');
    if (target.error) target.error.textContent = target.error.textContent ? `${target.error.textContent} ; ${text}` : text;
  }
  summary.hidden = false;
  summary.replaceChildren(document.createElement('p'));
  summary.firstChild.textContent = e.errors.length ? `${what} : ${e.errors.length} erreur(s), signalée(s) à côté des champs.`
    : `${what} : ${e.message}`;
  if (unplaced.length) {
    const list = document.createElement('ul');
    for (const t of unplaced) list.append(Object.assign(document.createElement('li'), { textContent: t }));
    summary.append(list);
  }
  (form.querySelector('[aria-invalid=true]') || summary).focus();
}
