/**
 * The web dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
 * running stack: the API serving the built dashboard, a worker, the time-skipping Temporal server
 * and the database. A township raises a whistle from the form on a phone, with markup in its text;
 * the supervisor's open page sees the case turn overdue when the test server's clock passes the real
 * 30-minute limit of an urgent case (no real wait: the server skips the time) and opens its
 * timeline; a department reports for duty from its queue and the supervisor's page drops that late
 * clock without a reload. Screenshots go to test/artifacts/dashboard/.
 */
import type { Browser, Page } from 'playwright-core';
import { dispatcher, enforcement, supervisor, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { launchBrowser, PHONE, screenshot, signedIn, type WatchedPage } from '../support/browser';
import { skippingTime } from '../support/skipping-time';
import { call } from '../support/http';

const MINUTE = 60_000;

// declared before the harness: jest runs afterAll hooks in the order declared, and the browser's
// open connections must be gone before the API's server closes
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const harness = useHarness('time-skipping', { dashboard: true });
const { skipTo } = skippingTime(harness);

/** What a user typed, meant to run: it must show as the very same text. */
const TYPED_TITLE = '<script>window.__typed = 1</script>违建';
const TYPED_DESCRIPTION = '<img src=x onerror="window.__typed = 2">临时砖房未拆除 & "quoted"';

let caseId: string;
let raisedAt: number;
let watching: WatchedPage;

const rowOf = (page: Page, clock: string) => page.locator(`tr[data-case="${caseId}"][data-clock="${clock}"]`);

describe('when the dashboard is served at /', () => {
  it('then it answers with the built page under a CSP that allows no inline script, beside the API and its docs', async () => {
    const res = await fetch(`${harness.stack.baseUrl}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script"); // no inline script allowance for scripts
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    const html = await res.text();
    expect(html).toContain('<div id="app"></div>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect((await fetch(`${harness.stack.baseUrl}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${harness.stack.baseUrl}/healthz`)).status).toBe(200);
    expect((await call(harness.stack.baseUrl, 'GET', '/api/v1/overdue')).status).toBe(401);
  });
});

describe('when a supervisor keeps the overview open while a township raises an urgent whistle from a phone', () => {
  it('then the township picks the matter from the list, and what it typed shows as text on the case page', async () => {
    watching = await signedIn(browser, harness.stack.baseUrl, await harness.stack.token(supervisor));
    await watching.page.getByText('没有超期事项').waitFor();

    const { page, problems } = await signedIn(
      browser,
      harness.stack.baseUrl,
      await harness.stack.token(township),
      PHONE,
    );
    await page.getByRole('heading', { name: /吹哨/ }).waitFor();
    await page.getByLabel('搜索事项名称或编码').fill('WJ-006');
    await page.getByLabel('事项（责任清单）').selectOption('WJ-006');
    await page.getByLabel('标题 *').fill(TYPED_TITLE);
    await page.getByLabel('情况描述 *').fill(TYPED_DESCRIPTION);
    await page.getByLabel('紧急', { exact: true }).check();
    await page.getByLabel('网格').selectOption('tw-nanpuxi-g07');
    await page.getByLabel('地址 *').fill('南浦溪镇下村 12 号');
    await page.getByLabel('证据文件（计算哈希，文件不上传）').setInputFiles({
      name: 'scene.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('a photo of the shed'),
    });
    await page.getByLabel('证据存放地址 (https://…)').fill('https://evidence.example/xiacun-12.jpg');
    await page.getByRole('button', { name: '吹哨' }).click();

    await page.waitForURL(/#\/case\//);
    caseId = decodeURIComponent(page.url().split('#/case/')[1]!);
    await page.getByTestId('case-title').waitFor();
    expect(await page.getByTestId('case-title').textContent()).toBe(TYPED_TITLE);
    expect(await page.getByTestId('case-description').textContent()).toBe(TYPED_DESCRIPTION);
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate('window.__typed')).toBeUndefined();
    // the evidence's hash, computed in the browser from the file, is on the timeline
    const sha = (await import('node:crypto')).createHash('sha256').update('a photo of the shed').digest('hex');
    await page.getByText(`sha256:${sha}`).waitFor();
    await screenshot(page, 'township-case-phone');
    expect(problems).toEqual([]);

    const read = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, {
      token: await harness.stack.token(supervisor),
    });
    expect(read.body).toMatchObject({ title: TYPED_TITLE, urgency: 'urgent', routing: { matter: { code: 'WJ-006' } } });
    raisedAt = Date.parse(read.body.raisedAt);
  });

  it('then the supervisor sees the case turn overdue at 30 minutes without reloading, and opens its timeline', async () => {
    const { page } = watching;
    expect(await rowOf(page, 'duty:dept-enforcement:acknowledge').count()).toBe(0);
    await skipTo(raisedAt + 31 * MINUTE); // the test server's clock passes the limit; no real wait
    await rowOf(page, 'duty:dept-enforcement:acknowledge').waitFor({ timeout: 30_000 });
    await rowOf(page, 'duty:dept-planning:acknowledge').waitFor();
    expect(await rowOf(page, 'duty:dept-enforcement:acknowledge').textContent()).toContain('县综合行政执法局');
    // kept current by the server-sent events of /overdue/stream (read with fetch and the bearer header)
    expect(await page.getByTestId('feed-mode').textContent()).toBe('实时推送');
    await screenshot(page, 'supervisor-overdue');
    await screenshot(page, 'supervisor-overdue-screen', false); // docs/dashboard.png

    await rowOf(page, 'duty:dept-enforcement:acknowledge').getByRole('link').click();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('li[data-type="duty.overdue"]').first().waitFor();
    const breach = await timeline.locator('li[data-type="duty.overdue"]').first().textContent();
    expect(breach).toMatch(/未在 .* 前「报到」，已超期/);
    await page.getByTestId('chain').waitFor();
    expect(await page.getByTestId('chain').textContent()).toContain('审计链完整');
    // the supervisor may not report for duty: no such button
    expect(await page.locator('button[data-action="acknowledge"]').count()).toBe(0);
    await screenshot(page, 'supervisor-timeline');
    await page.goBack();
    await rowOf(page, 'duty:dept-enforcement:acknowledge').waitFor();
  });

  it('then the enforcement department reports for duty from its queue, and the supervisor’s page drops that late clock without a reload', async () => {
    const { page, problems } = await signedIn(browser, harness.stack.baseUrl, await harness.stack.token(enforcement));
    const report = page.locator(`button[data-action="acknowledge"][data-case="${caseId}"]`);
    await report.waitFor();
    await report.click();
    await report.waitFor({ state: 'detached' });
    await screenshot(page, 'department-queue');
    expect(problems).toEqual([]);

    await rowOf(watching.page, 'duty:dept-enforcement:acknowledge').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await rowOf(watching.page, 'duty:dept-planning:acknowledge').count()).toBe(1);
    await screenshot(watching.page, 'supervisor-after-report');
    expect(watching.problems).toEqual([]);
  });

  it('then the supervisor’s statistics and rankings panels show figures from their endpoints, with charts', async () => {
    const stats = watching.page.locator('section[aria-labelledby="stats-title"]');
    await stats.locator('tr', { hasText: '南浦溪镇' }).first().waitFor();
    await stats.locator('canvas').first().waitFor();
    expect(await watching.page.locator('[data-state="unavailable"]').count()).toBe(0);
    // open cases by township and grid: the one case, in its grid, still late for planning's report
    const open = stats.locator('section[aria-label="在办案件（按乡镇、网格）"]');
    const grid = open.locator('tr', { hasText: '下村网格' });
    await grid.waitFor();
    expect(await grid.locator('td').allTextContents()).toEqual(['南浦溪镇', '1', '1']);
    expect(await open.locator('canvas').count()).toBe(1);
    await screenshot(watching.page, 'supervisor-statistics');
  });

  it('then the supervisor switches to English, and the choice survives a reload', async () => {
    const { page } = watching;
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: /Overdue now/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: /Overdue now/ }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await screenshot(page, 'supervisor-english');
  });
});

describe('when a department opens a case it is called to', () => {
  it('then the page offers exactly the actions the case read allows it, and pressing one is recorded', async () => {
    const { page } = await signedIn(browser, harness.stack.baseUrl, await harness.stack.token(enforcement));
    await page.goto(`${harness.stack.baseUrl}/#/case/${encodeURIComponent(caseId)}`);
    await page.getByTestId('timeline').waitFor();
    const read = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, {
      token: await harness.stack.token(enforcement),
    });
    const offered = await page
      .locator('button[data-action]')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')));
    expect(offered).toEqual(read.body.allowedActions.map((a: { action: string }) => a.action));
    expect(offered).toContain('arrive');
    await page.locator('button[data-action="arrive"]').click();
    await page.locator('li[data-type="duty.arrived"]').waitFor();
    expect(await page.locator('button[data-action="arrive"]').count()).toBe(0);
  });
});

describe('when a township is not sure which matter it is', () => {
  it('then the dispatcher finds the whistle at the desk and classifies it from the case page: the departments are called', async () => {
    const raised = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await harness.stack.token(township),
      body: {
        title: '不明事项 / unclear',
        description: '河边堆放不明桶装物 / drums of something by the river',
        urgency: 'normal',
        location: { townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07', address: '下村河边' },
      },
    });
    expect(raised.body.status).toBe('dispatching');
    const unclear: string = raised.body.caseId;

    const { page, problems } = await signedIn(browser, harness.stack.baseUrl, await harness.stack.token(dispatcher));
    await page.getByRole('heading', { name: '调度台待分流' }).waitFor();
    await page.locator(`a[href="#/case/${unclear}"]`).click();
    await page.locator('button[data-action="classify"]').click();
    await page.getByLabel('事项（责任清单） *').selectOption('WJ-006');
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('li[data-type="case.classified"]').waitFor();
    await page.locator('li[data-duty="dept-enforcement"]').waitFor();
    expect(await page.locator('button[data-action="classify"]').count()).toBe(0);
    await screenshot(page, 'dispatcher-classified');
    expect(problems).toEqual([]);
  });
});
