// Drives headless Chromium through the operator dashboard over the DevTools protocol (Node 20's WebSocket):
// sign in (wrong password, then right), open every page at desktop and phone width, retry one dead job.
// usage: node --experimental-websocket scripts/lib/admin-browser.mjs BASE_URL PASSWORD QUEUE OUT_DIR
// Prints one JSON object: {steps: [...], pages: {name: {path, text}}, screenshots: [...]}; exits 1 on failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, password, queue, outDir] = process.argv.slice(2);
fs.mkdirSync(outDir, { recursive: true });
const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woodstock-chromium-'));
const chrome = spawn('chromium', [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
  '--remote-debugging-port=0', `--user-data-dir=${userDir}`, '--window-size=1280,900', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'] });
chrome.stderr.on('data', () => {});
const result = { steps: [], pages: {}, screenshots: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function devtoolsPort() {
  const file = path.join(userDir, 'DevToolsActivePort');
  for (let i = 0; i < 300; i++) {
    if (fs.existsSync(file)) {
      const port = fs.readFileSync(file, 'utf8').split('\n')[0];
      if (port) return port;
    }
    await sleep(100);
  }
  throw new Error('chromium did not start (no DevToolsActivePort)');
}

let ws, nextID = 1;
const pending = new Map();
const listeners = [];
function send(method, params = {}) {
  const id = nextID++;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    setTimeout(() => { if (pending.delete(id)) reject(new Error(`timeout: ${method}`)); }, 20000);
  });
}
function waitFor(method, timeout = 20000) {
  return new Promise((resolve, reject) => {
    const entry = { method, resolve };
    listeners.push(entry);
    setTimeout(() => {
      const i = listeners.indexOf(entry);
      if (i >= 0) { listeners.splice(i, 1); reject(new Error(`timeout waiting for ${method}`)); }
    }, timeout);
  });
}
async function evaluate(expression) {
  const reply = await send('Runtime.evaluate', { expression, returnByValue: true });
  return reply.result.value;
}
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
  const port = await devtoolsPort();
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === 'page');
  ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    } else if (message.method) {
      for (let i = listeners.length - 1; i >= 0; i--) {
        if (listeners[i].method === message.method) { listeners[i].resolve(message.params); listeners.splice(i, 1); }
      }
    }
  };
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
  try { ws && ws.close(); } catch {}
  chrome.kill('SIGKILL');
  await sleep(200);
  fs.rmSync(userDir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}
