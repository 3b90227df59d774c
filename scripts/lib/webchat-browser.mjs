// Drives headless Chromium over the DevTools protocol (Node 20's WebSocket) like a visitor of a tenant's website:
// opens the page (which embeds the relay's /webchat/widget.js from another origin), clicks the chat button, types a
// message, sends it, waits until the visitor's message and then the expected reply show in the chat log, reloads the
// page and waits until the reopened chat shows both again (same visitor, history from the stream), saves a
// phone-sized PNG of that, then as a new visitor sends through the page API at once and waits for that reply. Console messages, page errors and failed requests are collected for diagnosis.
// usage: node --experimental-websocket scripts/lib/webchat-browser.mjs URL MESSAGE EXPECT SCREENSHOT [TIMEOUT_S]
// Prints one JSON object {ok, steps: [{name, ok, detail}], log (the first visitor's chat as screenshotted),
// console: [...], failures: [...], error};
// exits 1 on failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, message, expect, screenshotPath, timeoutText] = process.argv.slice(2);
const timeout = Number(timeoutText || 60) * 1000;
const binary = process.env.CHROMIUM || 'chromium';
const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woodstock-webchat-chromium-'));
const chrome = spawn(binary, [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
  '--disable-dev-shm-usage', '--remote-debugging-port=0', `--user-data-dir=${userDir}`, '--window-size=412,915',
  'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'] });
chrome.stderr.on('data', () => {});
const result = { ok: false, steps: [], log: '', console: [], failures: [], requests: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function devtoolsPort() {
  const file = path.join(userDir, 'DevToolsActivePort');
  for (let i = 0; i < 600; i++) {
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
const requests = new Map();
function send(method, params = {}) {
  const id = nextID++;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    setTimeout(() => { if (pending.delete(id)) reject(new Error(`timeout: ${method}`)); }, 30000);
  });
}
function observe(method, params) {
  if (method === 'Runtime.consoleAPICalled') {
    const text = params.args.map((a) => a.value ?? a.description ?? '').join(' ');
    result.console.push(`console.${params.type}: ${text}`);
  } else if (method === 'Runtime.exceptionThrown') {
    const d = params.exceptionDetails;
    result.console.push(`exception: ${d.exception?.description ?? d.text}`);
  } else if (method === 'Log.entryAdded') {
    result.console.push(`log.${params.entry.level}: ${params.entry.text} ${params.entry.url ?? ''}`);
  } else if (method === 'Network.requestWillBeSent') {
    requests.set(params.requestId, `${params.request.method} ${params.request.url}`);
    if (params.request.url.includes('/webchat/')) {
      // The visitor id only (the token's first part), never the whole token.
      const token = params.request.headers['X-Webchat-Token'];
      const visitor = token ? ` visitor ${token.split('.')[0]}` : '';
      result.requests.push(`${params.request.method} ${new URL(params.request.url).pathname}${visitor}`);
    }
  } else if (method === 'Network.loadingFailed') {
    const what = requests.get(params.requestId) ?? params.requestId;
    // An event stream cut when the page closes is not a failure of the page.
    if (!params.canceled) {
      result.failures.push(`${what}: ${params.errorText} ${params.corsErrorStatus?.corsError ?? ''}`.trim());
    }
  } else if (method === 'Network.responseReceived') {
    const status = params.response.status;
    if (status >= 400) result.failures.push(`${requests.get(params.requestId) ?? params.response.url}: HTTP ${status}`);
  }
}
async function evaluate(expression) {
  const reply = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
  if (reply.exceptionDetails) throw new Error(`evaluate: ${reply.exceptionDetails.exception?.description}`);
  return reply.result.value;
}
async function until(name, expression) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await evaluate(expression);
    if (value) break;
    await sleep(100);
  }
  step(name, !!value, value ? '' : `not within ${timeout / 1000} s`);
}
function step(name, ok, detail = '') {
  result.steps.push({ name, ok, detail });
  if (!ok) throw new Error(`${name} failed: ${detail}`);
}
async function capture() {
  try {
    result.log = await evaluate(chatLog);
    const shot = await send('Page.captureScreenshot', { format: 'png' });
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    fs.writeFileSync(screenshotPath, Buffer.from(shot.data, 'base64'));
  } catch (error) {
    result.captureError = `screenshot: ${error}`;
  }
}
const chatLog = `((document.querySelector('.wswc-log') || {}).innerText || '')`;

try {
  const port = await devtoolsPort();
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === 'page');
  ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  ws.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.id && pending.has(m.id)) {
      const { resolve, reject } = pending.get(m.id);
      pending.delete(m.id);
      m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result);
    } else if (m.method) {
      observe(m.method, m.params);
    }
  };
  for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await send(`${domain}.enable`);
  await send('Emulation.setDeviceMetricsOverride', { width: 412, height: 915, deviceScaleFactor: 1, mobile: true });
  await send('Page.navigate', { url });
  await until('widget loaded', `!!(window.WoodstockWebchat && document.querySelector('.wswc-button'))`);
  await evaluate(`document.querySelector('.wswc-button').click()`);
  await until('chat open', `document.querySelector('.wswc-panel').classList.contains('wswc-open')`);
  await evaluate(`document.querySelector('.wswc-input').focus()`);
  await send('Input.insertText', { text: message });
  await evaluate(`document.querySelector('.wswc-send').click()`);
  await until('own message shown', `${chatLog}.includes(${JSON.stringify(message)})`);
  await until('reply shown', `${chatLog}.includes(${JSON.stringify(expect)})`);
  // A reload keeps the visitor (localStorage) and the opened chat shows the conversation again from the stream.
  await evaluate('window.beforeReload = true');
  await send('Page.reload', { ignoreCache: true });
  await until('widget loaded again',
    `!window.beforeReload && !!(window.WoodstockWebchat && document.querySelector('.wswc-button'))`);
  await evaluate(`document.querySelector('.wswc-button').click()`);
  await until('history after reload',
    `${chatLog}.includes(${JSON.stringify(message)}) && ${chatLog}.includes(${JSON.stringify(expect)})`);
  await sleep(300); // let the last paint settle before the screenshot
  await capture();
  // A new visitor whose page opens the chat and sends at once (the page API): the event stream and the message
  // ask for a visitor at the same moment and must end up with the same one, or the reply never shows.
  const second = `${message} (new visitor)`;
  const secondReply = expect.split(message).join(second);
  await evaluate('localStorage.clear(); window.beforeReload = true');
  await send('Page.reload', { ignoreCache: true });
  await until('widget loaded for a new visitor',
    `!window.beforeReload && !!(window.WoodstockWebchat && document.querySelector('.wswc-button'))`);
  await evaluate(`window.WoodstockWebchat.send(${JSON.stringify(second)}); true`);
  await until('new visitor sees the reply, and only their own conversation',
    `${chatLog}.includes(${JSON.stringify(secondReply)}) && !${chatLog}.includes(${JSON.stringify(expect)})`);
  result.newVisitorLog = await evaluate(chatLog);
} catch (error) {
  result.error = String((error && error.stack) || error);
} finally {
  if (!fs.existsSync(screenshotPath)) await capture();
  if (result.captureError) result.error = (result.error ? result.error + '\n' : '') + result.captureError;
  result.ok = !result.error && result.steps.length === 8 && result.steps.every((s) => s.ok);
  try { ws && ws.close(); } catch {}
  chrome.kill('SIGKILL');
  await sleep(200);
  fs.rmSync(userDir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
  // The same report beside the screenshot, for a look after a failed run.
  try { fs.writeFileSync(screenshotPath.replace(/\.png$/, '') + '.json', JSON.stringify(result, null, 1)); } catch {}
  process.exit(result.ok ? 0 : 1);
}
