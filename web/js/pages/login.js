import { api, ApiProblem } from '../api.js';
import { h, page } from '../dom.js';

// The key is sent once, in a request body, and exchanged for a session cookie the page's script
// cannot read (HttpOnly). It is never kept by the console.
export function loginPage(onLogin) {
  const error = h('p', { class: 'error', id: 'login-error', role: 'alert' });
  const input = h('input', {
    id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'key-help login-error',
  });
  const form = h('form', { class: 'card login', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'key' }, 'Clé d’accès'),
      input,
      h('p', { class: 'help', id: 'key-help' },
        'La clé commence par « cm_ ». Elle est donnée par l’administration de la plateforme.')),
    error,
    h('button', { type: 'submit' }, 'Se connecter'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      const s = await api('POST', '/v1/session', { key: input.value.trim() });
      input.value = '';
      onLogin(s);
    } catch (e) {
      error.textContent = e instanceof ApiProblem && e.status === 401
        ? 'Clé inconnue, mal formée ou révoquée.' : `Connexion impossible : ${e instanceof ApiProblem ? e.message : 'le serveur ne répond pas.'}`;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  page('Connexion', h('p', {}, 'Console des facilitateurs et des prescripteurs.'), form);
  input.focus();
}
