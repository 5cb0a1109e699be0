// End-to-end checks in a real browser (Debian's chromium through playwright-core) against a
// running `qlf serve` seeded with one processed exposure. Environment: QLF_E2E_URL, QLF_E2E_OPERATOR,
// QLF_E2E_VIEWER, QLF_E2E_ADMIN ("name:password"; the admin is optional), QLF_E2E_PROCESS (a process
// id), QLF_E2E_SHOTS (screenshot dir).
import { readFile } from 'node:fs/promises';

import { chromium } from 'playwright-core';

const base = process.env.QLF_E2E_URL ?? 'http://127.0.0.1:8000';
const [operator, operatorPw] = (process.env.QLF_E2E_OPERATOR ?? 'otto:operator-pass').split(':');
const [viewer, viewerPw] = (process.env.QLF_E2E_VIEWER ?? 'vera:viewer-pass').split(':');
const [admin, adminPw] = (process.env.QLF_E2E_ADMIN ?? '').split(':');
const processId = process.env.QLF_E2E_PROCESS ?? '1';
const shots = process.env.QLF_E2E_SHOTS ?? '/tmp';
const executablePath = process.env.QLF_CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 20000;

let failures = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(browser, user, password) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  return page;
}

// Trend Analysis, Observing Conditions and Survey Report (issue 7): opened from shareable links
// (filters in the URL) on the seeded night, each must draw the seeded data.
async function checkAnalysisScreens(page) {
  const night = 'from=2026-11-20&to=2026-11-22';
  await check('Trend Analysis judges each r3 amp against its own REF; amp C in ALARM', async () => {
    await page.goto(`${base}/trends?key=NOISE_AMP&cameras=r3&${night}`);
    const series = page.getByRole('table', { name: 'Series' });
    await series.getByRole('rowheader', { name: 'r3 C' }).waitFor();
    const names = await series.getByRole('rowheader').allTextContents();
    assert(names.map((n) => n.trim()).join() === 'r3 A,r3 B,r3 C,r3 D', `series ${names}`);
    const cells = (amp) =>
      series.getByRole('row', { name: new RegExp(`r3 ${amp}`) }).getByRole('cell');
    const alarms = await cells('C').last().textContent();
    assert(alarms === '2', `r3 C has ${alarms} ALARM`); // exposures 3 and 4
    for (const amp of ['A', 'B', 'D']) {
      const n = await cells(amp).last().textContent();
      assert(n === '0', `r3 ${amp} has ${n} ALARM`);
    }
    const chart = page.getByRole('img', { name: 'NOISE_AMP over time' });
    assert((await chart.getAttribute('data-points')) === '12', 'not 12 points');
    await chart.locator('canvas').first().waitFor();
    // the amps' REFs differ (calibration read noise): each drawn from its own REF (issue 16)
    await page
      .getByLabel('Bands')
      .getByText(/distance from its own REF/)
      .waitFor();
    // the x axis fits the data: the night's exposures, not 3 columns of a 3-day window
    const box = await chart.locator('.u-over').boundingBox();
    assert(box && box.width > 600, `plot ${box?.width} px wide`);
    await page.screenshot({ path: `${shots}/qlf-trends.png`, fullPage: true });
  });
  await check('Observing Conditions plots the exposure r3 measured', async () => {
    await page.goto(`${base}/conditions?camera=r3&${night}`);
    await page.getByText('3 exposures measured by r3.').waitFor();
    const airmass = page.getByRole('img', { name: 'Airmass over time' });
    assert((await airmass.getAttribute('data-points')) === '3', 'not 3 airmass points');
    await airmass.locator('canvas').first().waitFor();
    await page.getByRole('img', { name: /SKYCONT.* over time/ }).waitFor();
    await page.getByLabel('Fit').getByText(/N = 3/).waitFor();
    await page.screenshot({ path: `${shots}/qlf-conditions.png`, fullPage: true });
  });
  await check('Survey Report places tile 1042 on the sky with its QA', async () => {
    await page.goto(`${base}/survey?${night}`);
    const tile = page.locator('[data-tile="1042"]');
    await tile.waitFor();
    const status = await tile.getAttribute('data-status');
    assert(status === 'ALARM', `tile 1042 is ${status}`);
    const flavors = page.getByRole('table', { name: 'Exposures per flavor' });
    await flavors.getByRole('row', { name: 'science 3' }).waitFor();
    await page.getByRole('table', { name: 'Effective time per tile' }).waitFor();
    const width = await page.evaluate(() => globalThis.document.documentElement.scrollWidth);
    const window = page.viewportSize().width;
    assert(width <= window, `the Survey Report is ${width} px wide in a ${window} px window`);
    await page.screenshot({ path: `${shots}/qlf-survey.png`, fullPage: true });
  });
}

// Night summary (issue 11): the page of the seeded night and its self-contained HTML report.
async function checkNightSummary(page) {
  await check('the Night Summary page summarises the night and downloads its report', async () => {
    await page.getByRole('link', { name: 'Night Summary' }).click();
    const kinds = page.getByRole('region', { name: 'Exposures by flavor and program' });
    await kinds.getByRole('cell', { name: 'DARK' }).waitFor();
    await page.getByRole('region', { name: 'Readout to QA' }).waitFor();
    const thumbnails = await page.getByRole('img', { name: /over \d+ nights/ }).count();
    assert(thumbnails >= 2, `${thumbnails} key-metric thumbnails`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download report (HTML)' }).click(),
    ]);
    assert(
      download.suggestedFilename() === 'qlf-night-20261121.html',
      download.suggestedFilename(),
    );
    const html = await readFile(await download.path(), 'utf8');
    assert(html.includes('QLF night summary — 2026-11-21'), 'report title missing');
    assert((html.match(/<svg/g) ?? []).length >= 2, 'report has no inline thumbnails');
    assert(!/(src|href)\s*=\s*["']?(https?:)?\/\//.test(html), 'report refers to outside assets');
    await page.screenshot({ path: `${shots}/qlf-night-summary.png`, fullPage: true });
  });
}

// Open alarms (issue 16): the embedded daemon processed exposure 4 (ALARM r3, WARNING b5) then a
// clean exposure 5. The Monitor shows exposure 5, yet the open alarms of 4 stay in its alert box
// across reloads until acknowledged, and every page counts them.
async function checkOpenAlarms(page) {
  await check('open alarms of an earlier exposure stay on the Monitor after a reload', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    for (let i = 0; i < 240; i++) {
      const recent = await page.evaluate(async () =>
        (await fetch('/api/processes/recent/')).json(),
      );
      if (recent.some((p) => p.expid === 5 && p.status === 'done')) break;
      await page.waitForTimeout(1000);
    }
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: /exposure #5/ }).waitFor();
    const alerts = page.getByRole('region', { name: 'Alerts' });
    const r3 = alerts.locator('li.alert-flash', { hasText: 'r3 #4' });
    await r3.waitFor();
    await page.reload();
    await r3.waitFor();
    await alerts.locator('li', { hasText: 'b5 #4' }).waitFor();
    const badge = page.getByRole('link', { name: /\d+ open alarms: \d+ ALARM/ });
    await badge.waitFor();
    // exposure 5 is nominal: no alert of its own (a lone standard star once graded b8 ALARM)
    const own = await alerts.locator('li', { hasText: '#5' }).count();
    assert(own === 0, `${own} alerts of the nominal exposure 5`);
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${shots}/qlf-monitor-alarms.png`, fullPage: true });
    await page.goto(`${base}/thresholds`);
    await badge.waitFor(); // on every page
  });
}

// Thresholds (issue 16): each metric's REF and ranges in force, and the page fits the window.
async function checkThresholds(page) {
  await check(
    'the Thresholds page lists REF and ranges in force, no wider than 1440 px',
    async () => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${base}/thresholds`);
      const table = page.getByRole('table', { name: 'Metric thresholds' });
      const noise = table.getByRole('row', { name: /NOISE_AMP/ }).first();
      await noise.waitFor();
      const text = await noise.textContent();
      assert(text.includes('readnoise (calibration)') && text.includes('+1.5'), text);
      const width = await page.evaluate(() => globalThis.document.documentElement.scrollWidth);
      assert(width <= 1440, `the page is ${width} px wide`);
      await page.screenshot({ path: `${shots}/qlf-thresholds.png`, fullPage: true });
    },
  );
}

// Reprocess (issue 16): an acknowledged alarm is not raised again by a reprocess finding the same
// problem, and the reprocess is timed from its own start (not "over budget" since readout).
async function checkReprocess(page) {
  await check(
    'a reprocess raises no duplicate of an acknowledged alarm; timed from its start',
    async () => {
      await page.goto(`${base}/`);
      const alerts = page.getByRole('region', { name: 'Alerts' });
      await alerts.getByRole('button', { name: 'Acknowledge ALARM r3 #4' }).click();
      const form = alerts.getByRole('form', { name: 'Acknowledge ALARM r3 #4' });
      await form.getByLabel('Acknowledgement note').fill('r3 amp C known noisy (e2e)');
      await form.getByRole('button', { name: 'Acknowledge' }).click();
      // acknowledged: it leaves the open alarms (the Alarms page keeps it with the note)
      await alerts.locator('li', { hasText: 'r3 #4' }).waitFor({ state: 'detached' });
      const answer = await page.evaluate(async () => {
        const csrf = globalThis.document.cookie.match(/csrftoken=([^;]+)/)?.[1] ?? '';
        const r = await fetch('/api/pipeline/reprocess/', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
          body: JSON.stringify({ expid: 4 }),
        });
        return r.json();
      });
      assert(answer.process_id, JSON.stringify(answer));
      let detail = null;
      for (let i = 0; i < 240 && detail?.status !== 'done'; i++) {
        await page.waitForTimeout(500);
        detail = await page.evaluate(
          async (id) => (await fetch(`/api/processes/${id}/`)).json(),
          answer.process_id,
        );
      }
      assert(detail?.status === 'done', `reprocess ${detail?.status}`);
      assert(
        detail.readout_to_qa_s < detail.budget_s,
        `reprocess took ${detail.readout_to_qa_s} s`,
      );
      const open = await page.evaluate(async () => (await fetch('/api/alarms/?state=open')).json());
      const again = open.filter((a) => a.camera === 'r3' && a.expid === 4);
      assert(again.length === 0, `r3 #4 raised again: ${JSON.stringify(again)}`);
    },
  );
}

// Reset (issue 16): the confirmation says what it deletes; the Monitor forgets at once.
async function checkReset(page) {
  await check('Reset asks with counts, then clears the Monitor at once', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: /exposure #4/ }).waitFor(); // the reprocess
    await page.getByRole('button', { name: /Reset/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Reset deletes 4 processes of 3 exposures .* open alarms/).waitFor();
    const said = await dialog.textContent();
    assert(!said.includes('confirm=True'), said);
    await dialog.getByRole('button', { name: 'Delete and reset' }).click();
    const t0 = Date.now();
    await page.getByText('No exposure processed yet.').waitFor({ timeout: 5000 });
    await page.getByText('No open WARNING or ALARM.').waitFor({ timeout: 5000 });
    assert(Date.now() - t0 < 5000, 'the Monitor kept the old exposure');
  });
}

// Alarms & masks (issue 11, part A): an operator masks the known-bad camera r3 (ALARM in the
// seed); the Monitor then shows r3 without its alarm, and the mask is listed and audited.
// Alarm runbooks (issue 21): the drill-down shows the chosen metric's runbook; an admin edits it in
// place (a new version with a note), the Runbooks screen lists that version, a viewer reads it.
async function checkRunbooks(adminPage, viewerPage) {
  const contact = `Night support, e2e ${Date.now()}`;
  await check('an admin edits the runbook of the drill-down metric in place', async () => {
    await adminPage.goto(`${base}/qa/${processId}`);
    await adminPage.locator('path.petal[data-camera="r3"]').click();
    const runbook = adminPage
      .getByRole('region', { name: 'Camera r3' })
      .getByRole('region', { name: 'Runbook NOISE_AMP' });
    await runbook.getByText('Whom to call').waitFor();
    await runbook.getByRole('button', { name: 'edit' }).click();
    await runbook.getByLabel('Whom to call').fill(contact);
    await runbook.getByLabel('Note (why it changed)').fill('e2e phone');
    await runbook.getByRole('button', { name: 'Save new version' }).click();
    await runbook.getByText(contact).waitFor();
    await runbook.getByText(/version \d{4}-\d\d-\d\d\+db\d+ · \w+ · .* · “e2e phone”/).waitFor();
    await adminPage.screenshot({ path: `${shots}/qlf-runbook-drilldown.png`, fullPage: true });
  });
  await check(
    'the Runbooks screen lists the new version; a viewer reads it, cannot edit',
    async () => {
      await adminPage.goto(`${base}/runbooks`);
      const row = adminPage.getByRole('row', { name: /NOISE_AMP default .*\+db\d+ / });
      await row.waitFor();
      await viewerPage.goto(`${base}/runbooks?key=NOISE_AMP&scope=default`);
      const runbook = viewerPage.getByRole('region', { name: 'Runbook NOISE_AMP' });
      await runbook.getByText(contact).waitFor();
      await runbook.getByRole('button', { name: /history \(2\)/ }).click();
      await runbook.getByRole('list', { name: 'Versions of the runbook NOISE_AMP' }).waitFor();
      assert((await runbook.getByRole('button', { name: 'edit' }).count()) === 0, 'viewer edits');
      await viewerPage.screenshot({ path: `${shots}/qlf-runbooks.png` });
    },
  );
}

async function checkMaskCamera(page) {
  await check(
    'an operator masks camera r3: it leaves ALARM, the mask is listed and audited',
    async () => {
      await page.goto(`${base}/alarms`); // from a fresh page, whatever the checks before left
      const form = page.getByRole('form', { name: 'New mask' });
      await form.getByLabel('Camera', { exact: true }).fill('r3');
      await form.getByLabel('From night').fill('20261121');
      await form.getByLabel('Reason').fill('r3 amp C noisy since the cooldown (e2e)');
      await form.getByRole('button', { name: 'Mask' }).click();
      const masks = page.getByRole('table', { name: 'Mask list' });
      await masks.getByRole('cell', { name: 'r3', exact: true }).waitFor();
      await page.getByRole('table', { name: 'Audit entries' }).getByText('mask.create').waitFor();
      await page.screenshot({ path: `${shots}/qlf-alarms.png`, fullPage: true });
      await page.getByRole('link', { name: 'Monitor' }).click();
      await page.getByRole('gridcell', { name: /^r3: done, NORMAL/ }).waitFor(); // exposure 5
      const qa = await page.evaluate(
        async (id) => (await fetch(`/api/processes/${id}/qa/?camera=r3`)).json(),
        processId,
      );
      const [r3] = qa.cameras;
      assert(r3.status === 'ALARM', `r3 QA record is ${r3.status}`);
      assert(r3.effective_status === 'NORMAL', `r3 effective status is ${r3.effective_status}`);
    },
  );
}

const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const op = await signIn(browser, operator, operatorPw);
  await check('operator sees Start, Stop and Reset on the Monitor', async () => {
    await op.getByRole('button', { name: /Start/ }).waitFor();
    await op.getByRole('button', { name: /Reset/ }).waitFor();
  });
  await checkOpenAlarms(op);
  await check(
    "the Monitor shows the exposure's effective time, per petal, and its tile",
    async () => {
      await op.goto(`${base}/`);
      const panel = op.getByRole('region', { name: 'Effective time' });
      await panel
        .getByLabel('Exposure effective time')
        .getByText(/\d+ s of 1000 s/)
        .waitFor();
      const petals = await panel.getByLabel('Effective time per petal').locator('li').count();
      assert(petals === 10, `${petals} petals`);
      await panel
        .getByLabel('Tile progress')
        .getByText(/ s of \d+ s/)
        .waitFor();
    },
  );
  await check('the Monitor shows the 30 cameras with QA colours', async () => {
    await op.setViewportSize({ width: 1440, height: 900 });
    await op.goto(`${base}/`);
    await op.locator('.camera.qa-normal').first().waitFor();
    const cameras = await op.locator('.camera').count();
    assert(cameras === 30, `${cameras} cameras`);
    await op.getByRole('gridcell', { name: /^r3: done/ }).click();
    await op.getByRole('heading', { name: 'Log of r3' }).waitFor();
    await op.waitForTimeout(500);
    await op.screenshot({ path: `${shots}/qlf-monitor.png`, fullPage: true });
  });
  await check('Processing History lists the process', async () => {
    await op.getByRole('link', { name: 'Processing History' }).click();
    const table = op.getByRole('table', { name: 'Processes' });
    await table.getByRole('link', { name: `QA of process ${processId}: ALARM` }).waitFor();
    await op.screenshot({ path: `${shots}/qlf-processing.png` });
  });
  await check('the QA screen colours the petals', async () => {
    await op.getByRole('link', { name: `QA of process ${processId}: ALARM` }).click();
    await op.locator('path.petal.qa-normal').first().waitFor();
    const alarm = await op.locator('path.petal[data-camera="r3"]').getAttribute('class');
    assert(alarm.includes('qa-alarm'), `r3 petal is ${alarm}`);
    // the grade explained where it appears (issue 16): value against REF and its range
    const why = await op.locator('path.petal[data-camera="r3"]').getAttribute('aria-label');
    assert(/NOISE_AMP ALARM: C .* from REF .* outside WARNING/.test(why), why);
    const normal = await op.locator('path.petal.qa-normal').count();
    assert(normal >= 20, `${normal} NORMAL petals`);
    await op.locator('path.petal[data-camera="b5"]').hover();
    await op.getByRole('heading', { name: 'b5' }).waitFor();
    await op.locator('path.petal[data-camera="r3"]').click();
    await op.getByRole('region', { name: 'Camera r3' }).waitFor();
  });
  await check('the drill-down draws dark Bokeh plots side by side, the table once', async () => {
    const region = op.getByRole('region', { name: 'Camera r3' });
    const cells = region.locator('.plot-cell');
    await cells.nth(1).waitFor();
    const [a, b] = [await cells.nth(0).boundingBox(), await cells.nth(1).boundingBox()];
    assert(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, 'plots not side by side');
    const tables = await op.getByRole('table', { name: 'Metrics of CHECK_CCDs' }).count();
    assert(tables === 1, `${tables} metric tables of CHECK_CCDs`);
    await region
      .locator('.bokeh-plot [data-root-id], .bokeh-plot .bk-Figure, .bokeh-plot canvas')
      .first()
      .waitFor({ state: 'attached' });
    const failed = await region.getByText(/Plot unavailable/).count();
    assert(failed === 0, 'plot unavailable');
    await op.waitForTimeout(1500);
    await op.screenshot({ path: `${shots}/qlf-qa.png`, fullPage: true });
  });
  await check('Observing History lists the exposure with Reprocess for operators', async () => {
    await op.getByRole('link', { name: 'Observing History' }).click();
    await op
      .getByRole('table', { name: 'Exposures' })
      .getByRole('button', { name: 'Reprocess' })
      .first()
      .waitFor();
  });

  await checkAnalysisScreens(op);

  await checkNightSummary(op);

  await checkThresholds(op);

  await checkReprocess(op); // before the mask: r3 must still be in ALARM

  await checkMaskCamera(op);

  const view = await signIn(browser, viewer, viewerPw);
  await check('a viewer sees no control button', async () => {
    await view.locator('.camera').first().waitFor();
    await view.getByRole('region', { name: 'Pipeline status' }).waitFor();
    const start = await view.getByRole('button', { name: /Start/ }).count();
    const reset = await view.getByRole('button', { name: /Reset/ }).count();
    assert(start === 0 && reset === 0, 'viewer has control buttons');
  });

  if (admin) await checkRunbooks(await signIn(browser, admin, adminPw), view);
  await checkReset(op); // last: it deletes what the checks above read
} finally {
  await browser.close();
}
if (failures) {
  console.log(`${failures} end-to-end check(s) failed`);
  process.exit(1);
}
console.log(`end-to-end checks passed; screenshots in ${shots}/qlf-*.png`);
