// The one way the console talks to the server: same-origin fetch with the session cookie; every
// request that changes something carries the session's CSRF token. Errors are RFC 9457 problem
// documents, thrown as ApiProblem (status, detail, errors by field).

let csrfToken = '';
export function setCsrf(token) { csrfToken = token || ''; }

export class ApiProblem extends Error {
  constructor(status, body) {
    super((body && body.detail) || `Erreur ${status}`);
    this.status = status;
    this.body = body || {};
    this.errors = (body && body.errors) || [];
  }
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
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
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
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// French words for the problem codes the API gives by field.
const codes = {
  required: 'obligatoire',
  out_of_range: 'hors des valeurs admises',
  invalid_format: 'format invalide',
  unknown_commune: 'commune inconnue',
  unknown: 'inconnu',
  over_cap: 'au-delà du plafond du mois',
  invalid_value: 'valeur invalide',
  in_future: 'date dans le futur',
  not_available: 'personne indisponible',
  not_hired: 'embauche non enregistrée',
  before_month: 'date antérieure au mois',
  unknown_appellation: 'appellation ROME inconnue',
  unknown_criterion: 'critère inconnu',
  duplicate: 'en double',
  too_many: 'trop d’éléments',
  not_finite: 'nombre invalide',
  invalid_character: 'caractère interdit',
};
export function frCode(code) { return codes[code] || code; }
