// The console: logs in with a key (exchanged for a session cookie), then shows the pages of the
// session's role. Pages are addressed by the URL's fragment (#/contrats/3): ids of contracts,
// openings, runs and placements only, never a person's data.
import { api, setCsrf, ApiProblem } from './api.js';
import { h, clear, page, say, takeMessage } from './dom.js';
import { loginPage } from './pages/login.js';
import { contractsPage, contractPage } from './pages/contracts.js';
import { shortlistPage } from './pages/shortlist.js';
import { batchesPage, batchPage } from './pages/batches.js';
import { placementPage } from './pages/placements.js';
import { indicatorsPage } from './pages/indicators.js';
import { participantsPage } from './pages/participants.js';
import { participantFormPage, participantPage } from './pages/participant_form.js';
import { importPage } from './pages/import.js';
import { planPage } from './pages/plan.js';

export const session = { role: '', org: '' };

const facilitatorNav = [['#/contrats', 'Contrats'], ['#/lots', 'Lots d’appariement'], ['#/indicateurs', 'Indicateurs']];
const prescriberNav = [['#/personnes', 'Personnes suivies'], ['#/personnes/nouvelle', 'Nouvelle personne'],
  ['#/personnes/import', 'Import CSV']];

const routes = [
  [/^#\/contrats$/, () => contractsPage(), ['facilitator', 'admin']],
  [/^#\/contrats\/(\d+)$/, (m) => contractPage(Number(m[1])), ['facilitator', 'admin']],
  [/^#\/contrats\/(\d+)\/plan$/, (m) => planPage(Number(m[1])), ['facilitator', 'admin']],
  [/^#\/offres\/(\d+)\/liste$/, (m) => shortlistPage(Number(m[1])), ['facilitator', 'admin']],
  [/^#\/lots$/, () => batchesPage(), ['facilitator', 'admin']],
  [/^#\/lots\/(\d+)$/, (m) => batchPage(Number(m[1])), ['facilitator', 'admin']],
  [/^#\/placements\/(\d+)$/, (m) => placementPage(Number(m[1])), ['facilitator', 'admin']],
  [/^#\/indicateurs$/, () => indicatorsPage(), ['facilitator', 'admin']],
  [/^#\/personnes$/, () => participantsPage(), ['prescriber', 'admin']],
  [/^#\/personnes\/nouvelle$/, () => participantFormPage(), ['prescriber', 'admin']],
  [/^#\/personnes\/import$/, () => importPage(), ['prescriber', 'admin']],
  [/^#\/personnes\/fiche$/, () => participantPage(), ['prescriber', 'admin']],
];

function home() {
  return session.role === 'prescriber' ? '#/personnes' : '#/contrats';
}

function renderChrome() {
  const nav = clear(document.getElementById('nav'));
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (!session.role) {
    who.textContent = '';
    logout.hidden = true;
    return;
  }
  const items = session.role === 'prescriber' ? prescriberNav
    : session.role === 'facilitator' ? facilitatorNav : [...facilitatorNav, ...prescriberNav];
  const current = location.hash;
  nav.append(h('ul', {}, items.map(([href, text]) => h('li', {},
    h('a', { href, 'aria-current': current === href ? 'page' : null }, text)))));
  const roles = { prescriber: 'prescripteur', facilitator: 'facilitateur', admin: 'administration' };
  who.textContent = `${session.org} · ${roles[session.role] || session.role}`;
  logout.hidden = false;
}

async function route() {
  say(takeMessage());
  if (!session.role) {
    renderChrome();
    loginPage(onLogin);
    return;
  }
  if (!location.hash || location.hash === '#/' || location.hash === '#') {
    location.replace(home());
    return;
  }
  renderChrome();
  for (const [re, show, roles] of routes) {
    const m = location.hash.match(re);
    if (!m) continue;
    if (!roles.includes(session.role)) break;
    try {
      await show(m);
    } catch (e) {
      showError(e);
    }
    return;
  }
  page('Page introuvable', h('p', {}, h('a', { href: home() }, 'Retour à l’accueil')));
}

export function showError(e) {
  if (e instanceof ApiProblem && e.status === 401) return;
  // e.message of an ApiProblem is French (api.js); anything else is a fault of the page itself.
  const text = e instanceof ApiProblem ? e.message : 'Erreur de la page : rechargez-la, puis signalez le problème s’il persiste.';
  page('Erreur', h('p', { class: 'error', role: 'alert' }, text));
}

function onLogin(s) {
  session.role = s.role;
  session.org = s.org;
  setCsrf(s.csrf_token);
  if (location.hash === home()) route();
  else location.hash = home();
}

function loggedOut() {
  session.role = '';
  session.org = '';
  setCsrf('');
  route();
}

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api('DELETE', '/v1/session');
  } finally {
    history.replaceState(null, '', '/');
    loggedOut();
  }
});
window.addEventListener('cm-logged-out', () => {
  if (session.role) {
    loggedOut();
    say('Session terminée : reconnectez-vous.');
  }
});
window.addEventListener('hashchange', route);

(async function start() {
  try {
    const s = await api('GET', '/v1/session');
    session.role = s.role;
    session.org = s.org;
    setCsrf(s.csrf_token);
  } catch {
    // no session: the login page
  }
  route();
}());
