/**
 * A real browser for the dashboard's tests: Debian's Chromium (installed here with apt-get when it
 * is missing, with a Chinese font so screenshots read; Playwright's own browser download cannot work
 * on these machines) driven by playwright-core. Screenshots go to test/artifacts/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { ROOT } from '../../dev/tools/paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Debian's packages the browser tests need: the browser, and a CJK font (5 MB) for the pages' Chinese. */
const PACKAGES = ['chromium', 'fonts-wqy-microhei'];
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
export const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'dashboard');

/** Debian's chromium package, installed once when it is missing (the tests run as root, as CI does). */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM) && (process.env.CHROMIUM_PATH || existsSync(CJK_FONT))) return CHROMIUM;
  if (process.getuid?.() !== 0)
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...PACKAGES],
  ]) {
    const run = spawnSync('apt-get', args, { env, stdio: 'inherit', timeout: 600_000 });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${run.status})`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is not there`);
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  // as root Chromium needs --no-sandbox; the pages are the project's own, on 127.0.0.1
  return chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

/** A page whose console errors (a CSP violation among them) the test can assert are none. */
export interface WatchedPage {
  page: Page;
  problems: string[];
}

/** Opens the dashboard in a fresh context and signs in with the keyboard: paste the token, Tab, Enter. */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  token: string,
  options: BrowserContextOptions = DESKTOP,
): Promise<WatchedPage> {
  const context = await browser.newContext({ ...options, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 404/.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('令牌 (Bearer token)').fill(token);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('header nav');
  return { page, problems };
}

/** The whole page (or only what the screen shows: `fullPage: false`, as the README's picture). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
