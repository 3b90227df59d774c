// Drives headless Chromium through the operator dashboard over the DevTools protocol (Node 20's WebSocket):
// sign in (wrong password, then right), open every page at desktop and phone width, retry one dead job.
// usage: node --experimental-websocket scripts/lib/admin-browser.mjs BASE_URL PASSWORD QUEUE OUT_DIR
// Prints one JSON object: {steps: [...], pages: {name: {path, text}}, screenshots: [...]}; exits 1 on failure.
import fs from 'node:fs';
import path from 'node:path';
import { openChromium, sleep } from './cdp.mjs';

const [base, password, queue, outDir] = process.argv.slice(2);
fs.mkdirSync(outDir, { recursive: true });
const result = { steps: [], pages: {}, screenshots: [] };
let browser = null;
const send = (method, params) => browser.send(method, params);
const waitFor = (method, timeout) => browser.waitFor(method, timeout);
const evaluate = (expression) => browser.evaluate(expression);

async function navigate(url) {
  const loaded = waitFor('Page.loadEventFired');
  await send('Page.navigate', { url });
  await loaded;
}
async function submit(expression) {
  const loaded = waitFor('Page.loadEventFired');
  await evaluate(expression);
  await loaded;
}
async function viewport(width, height, mobile) {
  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile });
}
async function screenshot(name, width, mobile) {
  await viewport(width, 800, mobile);
  const metrics = await send('Page.getLayoutMetrics');
  const height = Math.min(3000, Math.ceil(metrics.cssContentSize.height));
  await viewport(width, Math.max(height, 200), mobile);
  const shot = await send('Page.captureScreenshot', { format: 'png' });
  const file = path.join(outDir, `${name}.png`);
  fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
  result.screenshots.push(file);
  await viewport(1280, 900, false);
}
const pathname = () => evaluate('location.pathname + location.search');
const text = () => evaluate('document.body.innerText');
function step(name, ok, detail = '') {
  result.steps.push({ name, ok, detail });
  if (!ok) throw new Error(`${name} failed: ${detail}`);
}

try {
  browser = await openChromium({ windowSize: '1280,900' });
  await send('Page.enable');
  await send('Runtime.enable');

  await navigate(`${base}/admin/queues`);
  const login = await pathname();
  step('signed-out visit goes to the login page', login.startsWith('/admin/login'), login);
  await screenshot('admin-login-phone', 390, true);

  await submit(`document.querySelector('#password').value = 'not the password';
                document.querySelector('form.stack').submit()`);
  step('wrong password refused', (await text()).includes('Wrong password.'), await pathname());

  await submit(`document.querySelector('#password').value = ${JSON.stringify(password)};
                document.querySelector('form.stack').submit()`);
  const landed = await pathname();
  step('right password signs in', landed === '/admin/queues', landed);

  const pages = [
    ['queues', '/admin/queues'], ['dead', `/admin/dead?queue=${encodeURIComponent(queue)}`],
    ['tenants', '/admin/tenants'], ['schedule', '/admin/schedule'], ['audit', '/admin/audit'],
  ];
  for (const [name, route] of pages) {
    await navigate(`${base}${route}`);
    result.pages[name] = { path: await pathname(), text: await text() };
    await screenshot(`admin-${name}-desktop`, 1280, false);
    await screenshot(`admin-${name}-phone`, 390, true);
  }

  await navigate(`${base}/admin/dead?queue=${encodeURIComponent(queue)}`);
  await submit(`document.querySelector('form[action="/admin/dead/retry"] input[name="id"]').form.submit()`);
  const after = await text();
  step('retry button moves one dead job back', after.includes('Moved 1 dead job back to the queue.'), await pathname());
  await screenshot('admin-dead-after-retry-desktop', 1280, false);
  await navigate(`${base}/admin/audit?action=admin.dead`);
  result.pages['audit-filtered'] = { path: await pathname(), text: await text() };
  result.ok = true;
} catch (error) {
  result.ok = false;
  result.error = String(error && error.stack || error);
} finally {
  if (browser) await browser.close();
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}
