// Batch runs: start one, watch its progress, read its summary (filled, by public, quota shortfalls
// explained), decide its proposals, download them as CSV.
import { api, download, frField } from '../api.js';
import { h, page, frDate, frNum, table, link, say } from '../dom.js';
import { barChart } from '../chart.js';
import { label, status, criteria } from '../labels.js';
import { all, paged } from '../pager.js';

const solved = { optimal: 'optimale', feasible: 'réalisable (écart non refermé)', infeasible: 'avec des quotas non atteints' };

export async function batchesPage() {
  const runs = paged('/v1/batches', {
    noun: 'lots',
    empty: 'Aucun lot.',
    render: (items) => table('Lots', ['Lot', 'Créé le', 'État', 'Contrats'], items.map((r) => [
      link(`#/lots/${r.id}`, `Lot n° ${r.id}`), frDate(r.created_at), label(status, r.state),
      (r.params.contracts || []).length || 'tous'])),
  });
  const [contracts] = await Promise.all([all('/v1/contracts'), runs.ready]);
  const open = contracts.filter((c) => c.status === 'open');
  const error = h('p', { class: 'error', role: 'alert' });
  const boxes = open.map((c) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'contract', value: c.id }), ` ${c.reference} — ${c.title}`));
  const mode = h('select', { id: 'mode', name: 'mode' },
    h('option', { value: 'fill-then-score' }, 'Pourvoir le plus de postes, puis le meilleur score'),
    h('option', { value: 'score' }, 'Le meilleur score total'));
  const form = h('form', { class: 'card' },
    h('fieldset', {}, h('legend', {}, 'Contrats (aucun coché : tous les contrats ouverts)'), h('div', { class: 'checks' }, boxes)),
    h('div', { class: 'field' }, h('label', { for: 'mode' }, 'Objectif'), mode),
    error,
    h('button', { type: 'submit' }, 'Lancer le lot'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const chosen = [...form.querySelectorAll('input[name=contract]:checked')].map((x) => Number(x.value));
    const body = { mode: mode.value };
    if (chosen.length) body.contracts = chosen;
    try {
      const run = await api('POST', '/v1/batches', body);
      location.hash = `#/lots/${run.id}`;
    } catch (e) {
      error.textContent = `Lot refusé : ${e.errors.length ? e.errors.map((x) => frField(x)).join(' ; ') : e.message}`;
    }
  });
  page('Lots d’appariement',
    h('section', { 'aria-labelledby': 'new-run' }, h('h2', { id: 'new-run' }, 'Nouveau lot'), form),
    h('section', { 'aria-labelledby': 'runs' }, h('h2', { id: 'runs' }, 'Lots précédents'), runs));
}

export async function batchPage(id) {
  const progress = h('progress', { id: 'run-progress', max: 1, value: 0, 'aria-label': 'Avancement du lot' });
  const state = h('p', { id: 'run-state', 'aria-live': 'polite' });
  const summary = h('div', { id: 'run-summary' });
  page(`Lot n° ${id}`, h('div', { class: 'card' }, state, progress), summary);
  let run = await api('GET', `/v1/batches/${id}`);
  const here = location.hash;
  while (run.state === 'queued' || run.state === 'running') {
    showState(run, state, progress);
    await new Promise((r) => setTimeout(r, 400));
    if (location.hash !== here) return;
    run = await api('GET', `/v1/batches/${id}`);
  }
  showState(run, state, progress);
  if (run.state === 'succeeded') await showSummary(run, summary);
}

function showState(run, state, progress) {
  progress.value = run.progress || 0;
  const pct = Math.round((run.progress || 0) * 100);
  state.textContent = run.state === 'failed' ? 'Échec du lot : le calcul n’a pas abouti (le journal du serveur en donne la cause).'
    : `${label(status, run.state)[0].toUpperCase()}${label(status, run.state).slice(1)} — ${pct} %`;
}

async function showSummary(run, root) {
  const s = run.summary;
  const byPublic = Object.entries(s.filled_by_public || {}).sort((a, b) => b[1] - a[1]);
  root.append(
    h('section', { 'aria-labelledby': 'summary-title' },
      h('h2', { id: 'summary-title' }, 'Résultat'),
      h('p', { class: 'big' }, `${s.filled} poste(s) pourvu(s) sur ${s.positions}`),
      h('p', {}, `Affectation ${label(solved, s.status)}${s.optimality && s.optimality.proven_optimal ? ', optimalité prouvée' : ''}`
        + ` · distance moyenne ${frNum(s.mean_distance_km)} km.`),
      byPublic.length ? barChart('Postes pourvus par public', byPublic.map(([c, n]) => [label(criteria, c), n])) : null,
      h('h3', {}, 'Quotas'),
      (s.quotas || []).length === 0 ? h('p', {}, 'Aucun quota dans ces contrats.')
        : h('ul', { class: 'quotas' }, s.quotas.map((q) => h('li', { class: q.shortfall > 0 ? 'shortfall' : '' }, q.explanation))),
    ),
    await proposals(run));
}

async function proposals(run) {
  const section = h('section', { 'aria-labelledby': 'proposals-title' },
    h('h2', { id: 'proposals-title' }, 'Propositions'),
    h('p', {}, h('button', {
      type: 'button',
      onclick: () => download(`/v1/batches/${run.id}/proposals?format=csv`, `lot-${run.id}-propositions.csv`),
    }, 'Télécharger en CSV')));
  const list = paged(`/v1/batches/${run.id}/proposals`, {
    noun: 'propositions',
    empty: 'Aucune proposition.',
    render: (items) => h('table', { class: 'proposals' },
      h('caption', {}, `Propositions du lot (${items.length} sur cette page)`),
      h('thead', {}, h('tr', {}, ['Personne', 'Offre', 'Distance', 'Éligible par', 'Motifs', 'Décision'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((p) => proposalRow(run, p)))),
  });
  await list.ready;
  section.append(list);
  return section;
}

function proposalRow(run, p) {
  const d = p.details || {};
  const decision = h('td', { class: 'decision' });
  const render = () => {
    decision.replaceChildren();
    if (p.decision !== 'pending') {
      decision.append(label(status, p.decision));
      return;
    }
    const decide = async (value) => {
      try {
        const updated = await api('POST', `/v1/batches/${run.id}/proposals/${p.id}/decision`, { decision: value });
        Object.assign(p, updated);
        say(`Proposition de ${p.candidate.display_name} ${value === 'accepted' ? 'acceptée' : 'refusée'}.`);
      } catch (e) {
        const why = e.errors.length ? e.errors.map((x) => frField(x)).join(' ; ') : e.message;
        decision.append(h('p', { class: 'error', role: 'alert' }, `Décision refusée : ${why}`));
        return;
      }
      render();
    };
    decision.append(
      h('button', { type: 'button', onclick: () => decide('accepted'), 'aria-label': `Accepter ${p.candidate.display_name}` }, 'Accepter'), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => decide('declined'), 'aria-label': `Refuser ${p.candidate.display_name}` }, 'Refuser'));
  };
  render();
  return h('tr', {},
    h('td', {}, p.candidate.display_name, h('br'), h('small', {}, `${p.candidate.commune_name} · ${p.candidate.prescriber_org}`),
      (d.conditions || []).map((c) => h('p', { class: 'renew' }, `À actualiser : ${c.text}`))),
    h('td', {}, `n° ${d.opening_id}`),
    h('td', {}, `${frNum(d.distance_km)} km`),
    h('td', {}, (d.eligible_by || []).map((c) => label(criteria, c)).join(', ')),
    h('td', {}, h('details', {}, h('summary', {}, 'Motifs'), h('ul', {}, (d.reasons || []).map((r) => h('li', {}, r.text || r))))),
    decision);
}
