// The web console in a real browser (tests/web/run.sh): a real `clausematch serve` on a loopback
// port with a real SQLite file holding the bundled sample, Debian's chromium headless driven by
// playwright-core, every main page checked with axe-core (no serious or critical violation) and
// with no Content-Security-Policy violation. Screenshots go to $CONSOLE_SCREENSHOTS when it is set
// (docs/console/ holds the committed ones).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const bin = process.env.CLAUSEMATCH_BIN;
const shots = process.env.CONSOLE_SCREENSHOTS || '';
const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' };

let work; let server; let base; let browser; let dbPath;
const keys = {};
const cspViolations = [];

function cli(...args) {
  return execFileSync(bin, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

async function apiAs(key, method, path, body) {
  const res = await fetch(base + path, {
    method, headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function everyone(key) {
  const items = [];
  let cursor = null;
  do {
    const page = (await apiAs(key, 'GET', `/v1/participants?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).body;
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

before(async () => {
  assert.ok(bin, 'CLAUSEMATCH_BIN names the clausematch binary');
  work = mkdtempSync(join(tmpdir(), 'clausematch-console-'));
  const db = join(work, 'console.db');
  cli('import', '--db', db, '--sample');
  keys.facilitator = cli('keys', 'create', '--db', db, '--org', 'FAC-3202', '--role', 'facilitator');
  keys.otherFacilitator = cli('keys', 'create', '--db', db, '--org', 'FAC-3201', '--role', 'facilitator');
  keys.prescriber = cli('keys', 'create', '--db', db, '--org', 'FT-3202', '--role', 'prescriber');
  keys.otherPrescriber = cli('keys', 'create', '--db', db, '--org', 'ML-3202', '--role', 'prescriber');
  dbPath = db;
  await startServer('2026-11-23');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--lang=fr-FR'] });
});

// `clausematch serve` on the test's database with the given today, on an ephemeral loopback port.
async function startServer(today) {
  server = spawn(bin, ['serve', '--db', dbPath, '--today', today, '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the server did not start in 120 s')), 120000);
    server.stdout.on('data', (chunk) => {
      buffer += chunk;
      const m = /"msg":"listening"[^\n]*"port":(\d+)/.exec(buffer) || /"port":(\d+)[^\n]*"msg":"listening"/.exec(buffer);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    });
    server.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  server.stdout.resume();
}

async function stopServer() {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
  server = null;
}

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  page.on('pageerror', (e) => cspViolations.push(`page error: ${e.message}`));
  return page;
}

async function login(page, key, heading) {
  await page.goto(`${base}/`);
  await page.getByLabel('Clé d’accès').fill(key);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  assert.ok(!page.url().includes(key), 'the key is never in the URL');
}

// axe-core in the page (evaluated by the browser's debugger, so the page's CSP stays on).
async function accessible(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), [],
    `${name}: no serious or critical accessibility violation`);
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

test('the console is served with a CSP and a login form; a wrong key is refused', async () => {
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy'), /script-src 'self'/);
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('Clé d’accès').fill('cm_0000000000000000_nope');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Clé inconnue, mal formée ou révoquée.').waitFor();
  await accessible(page, 'login');
  await shot(page, 'login');
  const cookies = await page.context().cookies();
  assert.equal(cookies.length, 0);
  await page.context().close();
});

test('a facilitator opens a shortlist, runs a batch, decides proposals, records a hire, is refused hours over the cap, reads the indicators', async () => {
  const page = await newPage();
  await login(page, keys.facilitator, 'Contrats');
  const [cookie] = await page.context().cookies();
  assert.equal(cookie.name, 'cm_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'the page\'s script cannot read the session');

  // Only the organisation's contracts.
  const own = (await apiAs(keys.facilitator, 'GET', '/v1/contracts?limit=500')).body.items;
  const other = (await apiAs(keys.otherFacilitator, 'GET', '/v1/contracts?limit=500')).body.items;
  const shown = await page.locator('main table tbody tr td:first-child').allTextContents();
  assert.deepEqual(shown.sort(), own.map((c) => c.reference).sort());
  for (const c of other) assert.ok(!shown.includes(c.reference), `${c.reference} of another organisation is not shown`);
  await accessible(page, 'contracts');
  await shot(page, 'contracts');

  // Another organisation's contract by its id: not found, like a missing one.
  await page.goto(`${base}/#/contrats/${other[0].id}`);
  await page.getByText('Introuvable (ou d’une autre organisation).').waitFor();

  // A contract with two open positions or more (its batch below makes two proposals), its openings,
  // the shortlist of its first opening.
  let contract = null;
  for (const c of own) {
    const openings = (await apiAs(keys.facilitator, 'GET', `/v1/contracts/${c.id}/openings?limit=500`)).body.items;
    if (openings.filter((o) => o.status === 'open').reduce((n, o) => n + o.positions, 0) >= 2) { contract = c; break; }
  }
  assert.ok(contract, 'a contract of the organisation with two open positions');
  await page.goto(`${base}/#/contrats/${contract.id}`);
  await page.getByRole('heading', { level: 1, name: `Contrat ${contract.reference}` }).waitFor();
  await page.getByRole('figure').first().waitFor();
  await accessible(page, 'contract');
  await page.getByRole('link', { name: 'Liste de candidats' }).first().click();
  await page.getByRole('heading', { level: 1, name: /Liste de candidats/ }).waitFor();
  const entries = page.locator('ol.shortlist > li');
  assert.ok(await entries.count() > 0, 'ranked people');
  await entries.first().locator('summary').click();
  const firstReasons = await entries.first().locator('details ul li').allTextContents();
  assert.ok(firstReasons.some((r) => r.startsWith('éligible au')), `French reasons: ${firstReasons}`);
  assert.ok(await entries.first().locator('table.components tr').count() >= 5, 'score components');
  assert.ok(await page.locator('.renew').count() > 0, 'proofs to renew before the hire');
  const bars = page.locator('svg.chart rect.chart-bar');
  assert.ok(await bars.count() >= 3, 'exclusion counts as a chart');
  await accessible(page, 'shortlist');
  await shot(page, 'shortlist');

  // A batch run on that contract: start, progress, summary.
  await page.getByRole('link', { name: 'Lots d’appariement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Lots d’appariement' }).waitFor();
  await page.getByLabel(new RegExp(`^ ?${contract.reference}`)).check();
  await page.getByRole('button', { name: 'Lancer le lot' }).click();
  await page.getByRole('heading', { level: 1, name: /^Lot n° \d+$/ }).waitFor();
  await page.locator('#run-state', { hasText: 'Terminé — 100 %' }).waitFor({ timeout: 120000 });
  assert.equal(await page.locator('#run-progress').evaluate((p) => p.value), 1);
  await page.getByText(/poste\(s\) pourvu\(s\) sur/).waitFor();
  await page.getByRole('heading', { name: 'Propositions' }).waitFor();
  const runId = Number(/Lot n° (\d+)/.exec(await page.locator('h1').textContent())[1]);
  await accessible(page, 'batch run');
  await shot(page, 'batch');

  // Accept the first proposal, decline the second.
  const rows = page.locator('table.proposals tbody tr');
  assert.ok(await rows.count() >= 2, 'at least two proposals');
  await rows.nth(0).getByRole('button', { name: /^Accepter/ }).click();
  await rows.nth(0).locator('td.decision', { hasText: 'acceptée' }).waitFor();
  await rows.nth(1).getByRole('button', { name: /^Refuser/ }).click();
  await rows.nth(1).locator('td.decision', { hasText: 'refusée' }).waitFor();
  const decided = (await apiAs(keys.facilitator, 'GET', `/v1/batches/${runId}/proposals?limit=500`)).body.items;
  assert.equal(decided.filter((p) => p.decision === 'accepted').length, 1);
  assert.equal(decided.filter((p) => p.decision === 'declined').length, 1);

  // The CSV download.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger en CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^proposal_id,opening_id,participant_id/);
  assert.equal(csv.trim().split('\n').length, decided.length + 1);

  // The accepted proposal is a placement: hire, then a month's hours (over the cap first).
  const accepted = decided.find((p) => p.decision === 'accepted');
  const placements = (await apiAs(keys.facilitator, 'GET', `/v1/contracts/${accepted.details.contract_id}/placements`)).body.items;
  const placement = placements.find((p) => p.participant === accepted.participant_id);
  assert.ok(placement, 'the acceptance made a placement');
  await page.goto(`${base}/#/contrats/${accepted.details.contract_id}`);
  await page.getByRole('link', { name: `n° ${placement.id}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Mise en poste n° ${placement.id}` }).waitFor();
  await page.getByLabel(/^Employeur/).fill('Entreprise d’essai');
  await page.getByRole('button', { name: 'Enregistrer l’embauche' }).click();
  await page.getByRole('heading', { name: 'Déclarer un mois' }).waitFor();
  assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/placements/${placement.id}`)).body.status, 'hired');
  // The sample's openings start in 2027 and a report cannot be dated after the server's today:
  // refused beside its field, in French (the month's hours are recorded in the next test).
  const month = placement.start.slice(0, 7);
  const nextMonth = new Date(`${month}-01T00:00:00Z`);
  nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1);
  await page.getByLabel('Mois', { exact: true }).fill(month);
  await page.getByLabel('Heures travaillées').fill('10');
  await page.getByLabel('Déclarées le').fill(nextMonth.toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#reported-error', { hasText: 'date dans le futur' }).waitFor();
  assert.equal(await page.getByLabel('Déclarées le').getAttribute('aria-invalid'), 'true');
  await accessible(page, 'placement');

  // Indicators, and their CSV.
  await page.getByRole('link', { name: 'Indicateurs' }).click();
  await page.getByRole('heading', { level: 1, name: 'Indicateurs' }).waitFor();
  await page.locator('main table').first().waitFor();
  // Every indicator by sex, beside everyone's figure.
  await page.getByRole('columnheader', { name: 'Femmes' }).first().waitFor();
  await page.getByRole('columnheader', { name: 'Non renseigné' }).first().waitFor();
  const [indicators] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
  assert.ok(readFileSync(await indicators.path(), 'utf8').length > 20);
  await accessible(page, 'indicators');
  await shot(page, 'indicators');

  // Logout: the cookie no longer opens anything.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
  const after = await page.evaluate(async () => (await fetch('/v1/contracts')).status);
  assert.equal(after, 401);
  await page.context().close();
});

test('a facilitator previews a clause plan, is refused an unknown trade, then applies the plan: a draft opening, then opened', async () => {
  const own = (await apiAs(keys.facilitator, 'GET', '/v1/contracts?limit=500')).body.items;
  const contract = own[1];
  const openingsBefore = (await apiAs(keys.facilitator, 'GET', `/v1/contracts/${contract.id}/openings?limit=500`)).body.items;
  const page = await newPage();
  await login(page, keys.facilitator, 'Contrats');
  await page.getByRole('link', { name: contract.reference, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Contrat ${contract.reference}` }).waitFor();
  await page.getByRole('link', { name: /^Plan de la clause/ }).click();
  await page.getByRole('heading', { level: 1, name: `Plan de la clause — contrat ${contract.reference}` }).waitFor();

  // Refused first: a rate over 100 % (by the server) and a trade typed but not chosen from the
  // list, each shown beside its field, in French.
  const rate = page.getByLabel(/^Taux d’insertion/);
  await rate.fill('150');
  const trade = page.getByLabel('Métier (appellation ROME)');
  await page.getByRole('button', { name: 'Prévisualiser' }).click();
  await page.locator('.error-summary', { hasText: 'Plan refusé : 1 erreur(s)' }).waitFor();
  assert.equal(await rate.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#plan-insertion_rate-error').textContent(), 'hors des valeurs admises');
  await rate.fill('5');
  await trade.fill('zzz');
  await page.getByRole('button', { name: 'Prévisualiser' }).click();
  await page.locator('#plan-trade-0-error', { hasText: 'métier inconnu : choisissez-le dans la liste' }).waitFor();
  assert.equal(await trade.getAttribute('aria-invalid'), 'true');

  // A preview records nothing.
  await trade.fill('');
  await trade.pressSequentially('maçon', { delay: 30 });
  await page.locator('#plan-trade-0-list option').first().waitFor({ state: 'attached' });
  await trade.fill(await page.locator('#plan-trade-0-list option').first().getAttribute('value'));
  await page.getByRole('button', { name: 'Prévisualiser' }).click();
  await page.getByRole('heading', { name: 'Prévisualisation (rien n’est enregistré)' }).waitFor();
  const sizing = page.locator('table', { has: page.locator('caption', { hasText: 'Dimensionnement de la clause' }) });
  assert.match(await sizing.textContent(), /Heures d’insertion/);
  const proposed = page.locator('table', { has: page.locator('caption', { hasText: 'Offres proposées' }) });
  assert.equal(await proposed.locator('tbody tr').count(), 1);
  assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/contracts/${contract.id}/openings?limit=500`)).body.items.length,
    openingsBefore.length, 'a preview creates nothing');
  await accessible(page, 'plan preview');

  // Applied: the sizing is recorded and the draft opening created.
  await page.getByRole('button', { name: /^Appliquer/ }).click();
  await page.getByRole('heading', { name: 'Plan appliqué' }).waitFor();
  const after = (await apiAs(keys.facilitator, 'GET', `/v1/contracts/${contract.id}/openings?limit=500`)).body.items;
  assert.equal(after.length, openingsBefore.length + 1);
  assert.equal(after[after.length - 1].status, 'draft');
  assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/contracts/${contract.id}`)).body.sizing.insertion_rate, 0.05);
  const created = page.locator('table', { has: page.locator('caption', { hasText: 'Offres créées en brouillon' }) });
  assert.match(await created.locator('tbody tr').first().textContent(), new RegExp(`n° ${after[after.length - 1].id}`));
  await shot(page, 'plan');
  await page.getByRole('link', { name: 'Voir les offres du contrat' }).click();
  await page.getByRole('cell', { name: 'brouillon' }).first().waitFor();
  // The draft opens on the facilitator's word, then has a shortlist.
  const draft = after[after.length - 1];
  await page.getByRole('button', { name: `Ouvrir l’offre n° ${draft.id}` }).click();
  await page.locator('#status', { hasText: `L’offre n° ${draft.id} est ouverte.` }).waitFor();
  assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/openings/${draft.id}`)).body.status, 'open');
  await page.getByRole('button', { name: `Ouvrir l’offre n° ${draft.id}` }).waitFor({ state: 'detached' });
  await accessible(page, 'contract with a draft opened');
  await page.context().close();
});

// The sample's openings start in 2027, after the server's today (2026-11-23): an opening under way
// today and a hire on it let a month be recorded for real.
let hoursPlacement = 0;

// A new opening under way since 2026-11-02 on `contract`, and the hire (through the API, with
// `terms`) of the first person of its shortlist: the placement.
async function hireUnderWay(contract, positions, terms) {
  const opening = await apiAs(keys.facilitator, 'POST', `/v1/contracts/${contract.id}/openings`, {
    appellation: 16351, positions, weekly_hours: 35, start: '2026-11-02', end: '2027-06-30', worksite_insee: contract.worksite_insee,
  });
  assert.equal(opening.status, 201, JSON.stringify(opening.body));
  const shortlist = await apiAs(keys.facilitator, 'GET', `/v1/openings/${opening.body.id}/shortlist?k=5`);
  assert.ok(shortlist.body.entries.length > 0, 'someone to hire');
  const hire = await apiAs(keys.facilitator, 'POST', '/v1/placements', {
    opening_id: opening.body.id, participant_id: shortlist.body.entries[0].candidate.participant_id, ...terms,
  });
  assert.equal(hire.status, 201, JSON.stringify(hire.body));
  return hire.body;
}

test('a facilitator records a month of hours on a hire under way, after an over-cap refusal; an outcome too early is refused', async () => {
  const own = (await apiAs(keys.facilitator, 'GET', '/v1/contracts?limit=500')).body.items;
  const contract = own.slice(2).find((c) => c.status === 'open' && c.start <= '2026-11-02' && c.end >= '2027-06-30');
  assert.ok(contract, 'a contract under way');
  const hire = await hireUnderWay(contract, 2, { employer: 'Entreprise d’essai' });
  assert.equal(hire.start, '2026-11-23');
  hoursPlacement = hire.id;

  const page = await newPage();
  await login(page, keys.facilitator, 'Contrats');
  await page.goto(`${base}/#/contrats/${contract.id}`);
  await page.getByRole('link', { name: `n° ${hoursPlacement}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Mise en poste n° ${hoursPlacement}` }).waitFor();
  // Over the cap: refused beside the field, with the month's figures, in French.
  await page.getByLabel('Mois', { exact: true }).fill('2026-11');
  await page.getByLabel('Heures travaillées').fill('999');
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#hours-error', { hasText: 'au-delà du plafond du mois : 6 jours ouvrés à 35 h par semaine donnent 42 h, au plus 56 h' }).waitFor();
  assert.equal(await page.getByLabel('Heures travaillées').getAttribute('aria-invalid'), 'true');
  assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/placements/${hoursPlacement}`)).body.hours.length, 0);
  // Within the cap: recorded, the answer shows the month's cap.
  await page.getByLabel('Heures travaillées').fill('20');
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#hours-result', { hasText: '2026-11 : 20 h enregistrées ; plafond du mois 56 h (6 jours ouvrés).' }).waitFor();
  await page.getByRole('cell', { name: '2026-11' }).waitFor();
  const recorded = (await apiAs(keys.facilitator, 'GET', `/v1/placements/${hoursPlacement}`)).body;
  assert.deepEqual(recorded.effective_hours.map((m) => [m.month, m.hours]), [['2026-11', 20]]);
  assert.equal(recorded.hours_worked, 20);
  assert.equal(recorded.effective_hours[0].reported_on, '2026-11-23', 'dated the server\'s today (serve --today)');
  await accessible(page, 'placement with hours');
  await shot(page, 'hours');

  // The situation 6 months after entry cannot be recorded yet: refused beside the date, in French.
  await page.getByLabel('Horizon').selectOption('6');
  await page.getByLabel('Situation', { exact: true }).selectOption('emploi_durable');
  await page.getByRole('button', { name: 'Enregistrer la situation' }).click();
  await page.locator('#outcome-recorded-error', { hasText: 'trop tôt : relevable à partir du 23 mai 2027' }).waitFor();
  assert.equal(await page.getByLabel('Relevée le').getAttribute('aria-invalid'), 'true');

  // The contract's fulfilment counts the month.
  await page.getByRole('link', { name: 'Retour au contrat' }).click();
  await page.getByText(/réalisé : 20 h/).waitFor();
  // The month's attestation, a PDF; a month before the contract is refused beside the field.
  await page.getByLabel('Mois de l’attestation').fill('2026-11');
  await page.getByLabel('Personnes').selectOption('named');
  const [attestation] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger l’attestation (PDF)' }).click()]);
  assert.equal(attestation.suggestedFilename(), `attestation-${contract.id}-2026-11.pdf`);
  assert.equal(readFileSync(await attestation.path()).subarray(0, 5).toString(), '%PDF-');
  await page.getByLabel('Mois de l’attestation').fill('2001-01');
  await page.getByRole('button', { name: 'Télécharger l’attestation (PDF)' }).click();
  await page.locator('#attestation-error', { hasText: 'mois hors des valeurs admises' }).waitFor();
  assert.equal(await page.getByLabel('Mois de l’attestation').getAttribute('aria-invalid'), 'true');
  await page.context().close();
});

// French numbers and amounts use no-break spaces (U+00A0, U+202F): compared as plain spaces.
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

test('a subcontracting placement reports a month as an amount, converted into hours, after refusals beside the fields', async () => {
  const own = (await apiAs(keys.facilitator, 'GET', '/v1/contracts?limit=500')).body.items;
  // A contract under way sized with a labour share of 40 % and 30 €/h (most of the sample's are).
  const contract = own.slice(2).find((c) => c.status === 'open' && c.start <= '2026-11-02' && c.end >= '2027-06-30'
    && c.sizing && c.sizing.labour_share === 0.4 && c.sizing.hourly_cost_eur === 30);
  assert.ok(contract, 'a contract under way, sized');
  const { id } = await hireUnderWay(contract, 1,
    { contract_type: 'cddi', route: 'sous_traitance_siae', employer: 'Chantier d’insertion d’essai' });

  const page = await newPage();
  await login(page, keys.facilitator, 'Contrats');
  await page.goto(`${base}/#/placements/${id}`);
  await page.getByRole('heading', { level: 1, name: `Mise en poste n° ${id}` }).waitFor();
  // The amount is offered (chosen by default), the hours field hidden; the defaults are the contract's sizing.
  const amount = page.getByLabel(/^Montant facturé/);
  const share = page.getByLabel(/^Part de la main-d’œuvre/);
  const cost = page.getByLabel(/^Coût horaire/);
  await amount.waitFor();
  assert.equal(await page.getByLabel('Heures travaillées', { exact: true }).isVisible(), false);
  await page.locator('#labour_share-help', { hasText: 'Vide : celle du dimensionnement du contrat, 40 %.' }).waitFor();
  assert.match(plain(await page.locator('#hourly_cost_eur-help').textContent()), /celui du dimensionnement du contrat, 30,00 € de l’heure/);
  await page.getByLabel('Mois', { exact: true }).fill('2026-11');

  // A labour share over 100 %: refused beside it.
  await amount.fill('1500');
  await share.fill('150');
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#labour_share-error', { hasText: 'hors des valeurs admises' }).waitFor();
  assert.equal(await share.getAttribute('aria-invalid'), 'true');
  assert.equal(await amount.getAttribute('aria-invalid'), null);
  // 30 000 € × 40 % ÷ 30 €/h = 400 h, over the month's cap: refused beside the amount, with the hours and the cap.
  await share.fill('');
  await amount.fill('30000');
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#amount_eur-error', { hasText: 'au-delà du plafond du mois (soit 400 h) : 6 jours ouvrés à 35 h par semaine donnent 42 h, au plus 56 h' }).waitFor();
  assert.equal(await share.getAttribute('aria-invalid'), null, 'the share\'s error is cleared');
  assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/placements/${id}`)).body.hours.length, 0);
  // 1 500 € × 40 % ÷ 30 €/h = 20 h, by the contract's sizing.
  await amount.fill('1500');
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#hours-result', { hasText: 'h enregistrées' }).waitFor();
  assert.equal(plain(await page.locator('#hours-result').textContent()),
    '2026-11 : 1 500,00 € HT × 40 % ÷ 30,00 €/h = 20 h enregistrées ; plafond du mois 56 h (6 jours ouvrés).');
  let recorded = (await apiAs(keys.facilitator, 'GET', `/v1/placements/${id}`)).body;
  assert.deepEqual(recorded.effective_hours.map((m) => [m.month, m.hours, m.amount]),
    [['2026-11', 20, { amount_eur: 1500, labour_share: 0.4, hourly_cost_eur: 30 }]]);
  // A correction with its own share and cost: 1 500 € × 50 % ÷ 25 €/h = 30 h.
  await page.getByLabel('Mois', { exact: true }).fill('2026-11');
  await page.getByLabel(/^Montant facturé/).fill('1500');
  await page.getByLabel(/^Part de la main-d’œuvre/).fill('50');
  await page.getByLabel(/^Coût horaire/).fill('25');
  await page.getByRole('button', { name: 'Déclarer', exact: true }).click();
  await page.locator('#hours-result', { hasText: '(correction)' }).waitFor();
  assert.equal(plain(await page.locator('#hours-result').textContent()),
    '2026-11 : 1 500,00 € HT × 50 % ÷ 25,00 €/h = 30 h enregistrées (correction) ; plafond du mois 56 h (6 jours ouvrés).');
  recorded = (await apiAs(keys.facilitator, 'GET', `/v1/placements/${id}`)).body;
  assert.deepEqual(recorded.effective_hours.map((m) => [m.month, m.hours, m.amount]),
    [['2026-11', 30, { amount_eur: 1500, labour_share: 0.5, hourly_cost_eur: 25 }]]);
  // The months list the amount and its conversion.
  const months = page.locator('table', { has: page.locator('caption', { hasText: 'Heures par mois' }) });
  assert.deepEqual((await months.locator('thead th').allTextContents()), ['Mois', 'Heures', 'Montant sous-traité (conversion)', 'Déclarées le']);
  assert.deepEqual((await months.locator('tbody tr').first().locator('td').allTextContents()).map(plain),
    ['2026-11', '30 h', '1 500,00 € HT × 50 % ÷ 25,00 €/h = 30 h', '23 nov. 2026']);
  await accessible(page, 'placement with a subcontracting amount');
  await page.locator('#hours-title').evaluate((title) => title.scrollIntoView());
  await shot(page, 'hours-amount');
  // The hours may still be reported as hours: the other choice shows the field and hides the amount.
  await page.getByRole('radio', { name: 'un nombre d’heures' }).check();
  await page.getByLabel('Heures travaillées', { exact: true }).waitFor();
  assert.equal(await page.getByLabel(/^Montant facturé/).isVisible(), false);
  await page.context().close();
});

test('a prescriber creates a participant after a refused attempt, uploads a CSV with errors, sees the renewals', async () => {
  // Someone of another organisation, who must never be shown.
  const stranger = await apiAs(keys.otherPrescriber, 'POST', '/v1/participants', {
    first_name: 'Zéphyrine', last_name: 'Autreorganisation', birth_date: '1990-01-01', commune_insee: '80021',
    available_from: '2026-11-01', registration_date: '2026-10-01', wanted_appellations: [16351],
    criteria: [{ criterion: 'rsa', proof_date: '2026-10-01', validated_by: 'ML-3202' }], consent: true, consent_date: '2026-10-01',
  });
  assert.equal(stranger.status, 201, JSON.stringify(stranger.body));

  // A facilitator's shortlists show people of this organisation whose proof lapses before the hire
  // (openings the batch above left open).
  for (const opening of [1, 6, 10])
    assert.equal((await apiAs(keys.facilitator, 'GET', `/v1/openings/${opening}/shortlist?k=20`)).status, 200);

  const page = await newPage();
  await login(page, keys.prescriber, 'Personnes suivies');
  await page.getByRole('heading', { name: 'Justificatifs à actualiser' }).waitFor();
  // The facilitator's shortlist above showed people of this organisation with a proof to renew.
  const renewals = page.locator('table', { has: page.locator('caption', { hasText: 'Justificatifs à actualiser avant une embauche' }) });
  await renewals.waitFor();
  assert.ok(await renewals.locator('tbody tr').count() > 0, 'the renewals due');
  assert.match(await renewals.locator('tbody tr').first().textContent(), /à actualiser avant l'embauche/);
  assert.equal(await page.getByText('Autreorganisation').count(), 0, 'another organisation\'s participant is not shown');
  await accessible(page, 'participants');
  await shot(page, 'participants');

  // The list comes 50 at a time from the server.
  const listLine = page.locator('nav.pager .pager-line').last();
  assert.equal(await listLine.textContent(), 'Personnes 1 à 50 (page suivante disponible).');
  const firstPage = await page.getByRole('table', { name: 'Personnes suivies par l’organisation' }).locator('tbody tr').first().textContent();
  await page.getByRole('button', { name: 'Page suivante' }).click();
  await page.locator('nav.pager .pager-line', { hasText: 'Personnes 51 à 100' }).waitFor();
  assert.notEqual(await page.getByRole('table', { name: 'Personnes suivies par l’organisation' }).locator('tbody tr').first().textContent(), firstPage);
  await page.getByRole('button', { name: 'Page précédente' }).click();
  await page.locator('nav.pager .pager-line', { hasText: 'Personnes 1 à 50' }).waitFor();

  await page.getByRole('link', { name: 'Nouvelle personne' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Nouvelle personne' }).waitFor();
  await page.getByLabel('Prénom (obligatoire)').fill('Inès');
  await page.getByLabel('Nom (obligatoire)', { exact: true }).fill('Console');
  await page.getByLabel('Commune de résidence (obligatoire)').fill('zzz');
  await page.getByRole('button', { name: 'Enregistrer la personne' }).click();
  await page.locator('.error-summary', { hasText: 'n’est pas enregistrée' }).waitFor();
  // Beside each field, in French (the server's English detail is for API clients).
  assert.equal(await page.locator('#birth_date-error').textContent(), 'obligatoire', 'the birth date\'s error beside it');
  assert.match(await page.locator('#commune-error').textContent(), /^(commune inconnue|format invalide|valeur invalide)/, 'the commune\'s error beside it');
  for (const text of await page.locator('.field-error').allTextContents())
    assert.doesNotMatch(text, /\b(is|must|the|a|an|required)\b/, `French only: ${text}`);
  assert.equal(await page.getByLabel('Date de naissance (obligatoire)').getAttribute('aria-invalid'), 'true');
  await accessible(page, 'participant form with errors');
  await shot(page, 'participant-errors');

  // Corrected, with the completions of the commune and the trade.
  await page.getByLabel('Date de naissance (obligatoire)').fill('1999-05-04');
  const commune = page.getByLabel('Commune de résidence (obligatoire)');
  await commune.fill('');
  await commune.pressSequentially('Amien', { delay: 30 });
  await page.locator('#commune-list option[value="Amiens (80021)"]').waitFor({ state: 'attached' });
  await commune.fill('Amiens (80021)');
  const trade = page.getByLabel('Métier recherché (appellation ROME)');
  await trade.pressSequentially('maçon', { delay: 30 });
  await page.locator('#appellation-list option').first().waitFor({ state: 'attached' });
  const option = await page.locator('#appellation-list option').first().getAttribute('value');
  await trade.fill(option);
  await trade.dispatchEvent('change');
  await page.locator('ul.chips li').first().waitFor();
  await page.getByLabel('Critère', { exact: true }).selectOption('rsa');
  await page.getByLabel('Date du justificatif').fill('2026-10-20');
  await page.getByLabel('Validé par').fill('FT-3202');
  await page.getByLabel('Disponible à partir du (obligatoire)').fill('2026-12-01');
  await page.getByLabel('La personne consent au traitement de ses données').check();
  await page.getByLabel('Date du consentement').fill('2026-10-20');
  await page.getByLabel('Date d’inscription (obligatoire)').fill('2026-10-01');
  await page.getByLabel('Référence interne').fill('CONSOLE-INES');
  await page.getByLabel('Sexe', { exact: true }).selectOption('femme');
  await page.getByRole('button', { name: 'Enregistrer la personne' }).click();
  // Created: the console opens the new record.
  await page.getByRole('heading', { level: 1, name: 'Fiche de Inès Console' }).waitFor();
  await page.locator('#status', { hasText: 'Inès Console est enregistré(e)' }).waitFor();
  assert.ok(!page.url().includes('Console') && !page.url().includes('Ines'), 'no personal data in the URL');
  const [ines] = (await apiAs(keys.prescriber, 'GET', '/v1/participants?external_ref=CONSOLE-INES')).body.items;
  assert.ok(!page.url().includes(String(ines.id)), 'the record is not addressed by the person\'s id');
  assert.equal(ines.sex, 'femme', 'the sex chosen in the form is stored');

  // Edited: a refused attempt (the birth date emptied), then a new phone number and a second licence.
  assert.equal(await page.getByLabel('Prénom (obligatoire)').inputValue(), 'Inès');
  assert.equal(await page.getByLabel('Commune de résidence (obligatoire)').inputValue(), '80021');
  await page.locator('ul.chips li').first().waitFor();
  await page.getByLabel('Date de naissance (obligatoire)').fill('');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.locator('.error-summary', { hasText: 'La fiche n’est pas modifiée : 1 erreur(s)' }).waitFor();
  assert.equal(await page.locator('#birth_date-error').textContent(), 'obligatoire');
  await page.getByLabel('Date de naissance (obligatoire)').fill('1999-05-04');
  await page.getByLabel('Téléphone').fill('0600000001');
  await page.getByLabel('C', { exact: true }).check();
  await accessible(page, 'participant record');
  await shot(page, 'participant-edit');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByRole('heading', { level: 1, name: 'Personnes suivies' }).waitFor();
  await page.locator('#status', { hasText: 'La fiche de Inès Console est modifiée.' }).waitFor();
  const edited = (await apiAs(keys.prescriber, 'GET', `/v1/participants/${ines.id}`)).body;
  assert.equal(edited.phone, '0600000001');
  assert.deepEqual(edited.licences.slice().sort(), ['C']);
  assert.deepEqual(edited.wanted_appellations, ines.wanted_appellations, 'the wanted trades are kept');
  assert.deepEqual(edited.criteria, ines.criteria, 'the criteria are kept');
  assert.equal(edited.birth_date, '1999-05-04');
  assert.equal(edited.sex, 'femme', 'the sex is kept by an edit');

  // Found by its reference, then withdrawn (asked, then confirmed).
  await page.getByLabel('Référence interne (exacte)').fill('CONSOLE-INES');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('button', { name: 'Modifier la fiche de Inès Console' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fiche de Inès Console' }).waitFor();
  await page.getByRole('button', { name: 'Sortir du dispositif…' }).click();
  await page.getByRole('button', { name: 'Confirmer la sortie' }).click();
  await page.getByRole('heading', { level: 1, name: 'Personnes suivies' }).waitFor();
  await page.locator('#status', { hasText: 'Inès Console est sorti(e) du dispositif.' }).waitFor();
  assert.equal((await apiAs(keys.prescriber, 'GET', `/v1/participants/${ines.id}`)).body.status, 'withdrawn');
  await page.getByLabel('Statut').selectOption('withdrawn');
  await page.getByLabel('Référence interne (exacte)').fill('CONSOLE-INES');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('cell', { name: 'sorti', exact: true }).waitFor();

  // A CSV with errors: listed by line and column, nothing imported.
  await page.getByRole('link', { name: 'Import CSV' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Import CSV' }).waitFor();
  const csv = 'prescriber_org,first_name,last_name,birth_date,commune_insee,available_from,registration_date,wanted_appellations,criteria\n'
    + 'FT-3202,Ana,Ligne,1990-01-01,80021,2026-12-01,2026-11-01,16351,rsa:2026-10-20:FT-3202\n'
    + 'FT-3202,Bob,Mauvais,1990-13-45,80021,2026-12-01,2026-11-01,16351,rsa:2026-10-20:FT-3202\n';
  await page.getByLabel(/Fichier CSV/).setInputFiles({ name: 'personnes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.locator('table.import-errors').waitFor();
  const cells = await page.locator('table.import-errors tbody tr').first().locator('td').allTextContents();
  assert.equal(cells[0], '3', `the line of the error: ${cells}`);
  assert.equal(cells[1], 'birth_date', `the column of the error: ${cells}`);
  await accessible(page, 'import');
  await shot(page, 'import');
  assert.equal((await everyone(keys.prescriber)).filter((p) => p.last_name === 'Ligne').length, 0,
    'nothing of the refused file was imported');
  await page.context().close();
});

test('six months after the entry (the server restarted with a later today), the outcome is recorded', async () => {
  assert.ok(hoursPlacement, 'the hire of the hours test');
  await stopServer();
  await startServer('2027-06-01');
  const page = await newPage();
  await login(page, keys.facilitator, 'Contrats');
  await page.goto(`${base}/#/placements/${hoursPlacement}`);
  await page.getByRole('heading', { level: 1, name: `Mise en poste n° ${hoursPlacement}` }).waitFor();
  // The situations grouped by DGEFP category, as the DGEFP presents them.
  const groups = await page.getByLabel('Situation', { exact: true }).evaluate((select) =>
    [...select.querySelectorAll('optgroup')].map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.value)]));
  assert.deepEqual(groups, [
    ['Sorties dynamiques : emploi durable', ['emploi_durable']],
    ['Sorties dynamiques : emploi de transition', ['emploi_transition']],
    ['Sorties dynamiques : sorties positives', ['formation_qualifiante', 'embauche_autre_siae', 'autre_sortie_positive']],
    ['Autres sorties', ['demandeur_emploi', 'inactif', 'sans_nouvelles', 'autre']]]);
  await page.getByLabel('Horizon').selectOption('6');
  await page.getByLabel('Situation', { exact: true }).selectOption('emploi_durable');
  await page.getByRole('button', { name: 'Enregistrer la situation' }).click();
  await page.locator('#outcome-result', { hasText: 'Situation à 6 mois enregistrée : Emploi durable.' }).waitFor();
  const row = page.locator('table', { has: page.locator('caption', { hasText: 'Situations relevées' }) }).locator('tbody tr');
  assert.deepEqual(await row.first().locator('td').allTextContents(), ['6 mois', 'Emploi durable', 'Sorties dynamiques : emploi durable', '1 juin 2027']);
  const outcomes = (await apiAs(keys.facilitator, 'GET', `/v1/placements/${hoursPlacement}`)).body.outcomes;
  assert.deepEqual(outcomes.map((o) => [o.months_after_entry, o.outcome, o.recorded_on]), [[6, 'emploi_durable', '2027-06-01']]);
  await accessible(page, 'placement with an outcome');
  await shot(page, 'outcomes');
  await page.context().close();
});

test('no Content-Security-Policy violation or script error on any page', () => {
  assert.deepEqual(cspViolations, []);
});
