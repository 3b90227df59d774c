// Drives headless Chromium over the DevTools protocol (Node 20's WebSocket) like a visitor of a tenant's website:
// opens the page (which embeds the relay's /webchat/widget.js from another origin), clicks the chat button, types a
// message, sends it, waits until the visitor's message and then the expected reply show in the chat log, reloads the
// page and waits until the reopened chat shows both again (same visitor, history from the stream), saves a
// phone-sized PNG of that, then as a new visitor sends through the page API at once and waits for that reply. Console messages, page errors and failed requests are collected for diagnosis.
// usage: node --experimental-websocket scripts/lib/webchat-browser.mjs URL MESSAGE EXPECT SCREENSHOT [TIMEOUT_S]
// Prints one JSON object {ok, steps: [{name, ok, detail}], log (the first visitor's chat as screenshotted),
// console: [...], failures: [...], error};
// exits 1 on failure.
import fs from 'node:fs';
import path from 'node:path';
import { openChromium, sleep } from './cdp.mjs';

const [url, message, expect, screenshotPath, timeoutText] = process.argv.slice(2);
const timeout = Number(timeoutText || 60) * 1000;
const result = { ok: false, steps: [], log: '', console: [], failures: [], requests: [] };
const requests = new Map();
let browser = null;
const send = (method, params) => browser.send(method, params);
const evaluate = (expression) => browser.evaluate(expression);

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
  browser = await openChromium({ windowSize: '412,915', onEvent: observe });
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
  if (browser) await browser.close();
  console.log(JSON.stringify(result));
  // The same report beside the screenshot, for a look after a failed run.
  try { fs.writeFileSync(screenshotPath.replace(/\.png$/, '') + '.json', JSON.stringify(result, null, 1)); } catch {}
  process.exit(result.ok ? 0 : 1);
}
