// Headless Chromium over the DevTools protocol (Node 20's WebSocket), shared by the browser-test drivers.
//
//   import { openChromium } from './cdp.mjs';
//   const browser = await openChromium({ windowSize: '1280,900', onEvent: (method, params) => {} });
//   await browser.send('Page.enable');
//   const title = await browser.evaluate('document.title');
//   await browser.close();
//
// send() rejects after `commandTimeout` ms; waitFor(method) resolves with the next event of that name.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function openChromium({ windowSize = '1280,900', commandTimeout = 30000, onEvent = () => {} } = {}) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woodstock-chromium-'));
  const chrome = spawn(process.env.CHROMIUM || 'chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
    '--disable-dev-shm-usage', '--remote-debugging-port=0', `--user-data-dir=${userDir}`,
    `--window-size=${windowSize}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  chrome.stderr.on('data', () => {});
  let ws = null, nextID = 1;
  const pending = new Map();
  const listeners = [];

  const browser = {
    send(method, params = {}) {
      const id = nextID++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        setTimeout(() => { if (pending.delete(id)) reject(new Error(`timeout: ${method}`)); }, commandTimeout);
      });
    },
    waitFor(method, timeout = commandTimeout) {
      return new Promise((resolve, reject) => {
        const entry = { method, resolve };
        listeners.push(entry);
        setTimeout(() => {
          const i = listeners.indexOf(entry);
          if (i >= 0) { listeners.splice(i, 1); reject(new Error(`timeout waiting for ${method}`)); }
        }, timeout);
      });
    },
    async evaluate(expression) {
      const reply = await browser.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (reply.exceptionDetails) throw new Error(`evaluate: ${reply.exceptionDetails.exception?.description}`);
      return reply.result.value;
    },
    async close() {
      try { ws && ws.close(); } catch {}
      chrome.kill('SIGKILL');
      await sleep(200);
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };

  try {
    const port = await devtoolsPort(userDir);
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = targets.find((t) => t.type === 'page');
    ws = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  } catch (error) {
    await browser.close();
    throw error;
  }
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    } else if (message.method) {
      onEvent(message.method, message.params);
      for (let i = listeners.length - 1; i >= 0; i--) {
        if (listeners[i].method === message.method) { listeners[i].resolve(message.params); listeners.splice(i, 1); }
      }
    }
  };
  return browser;
}

// Chromium writes its DevTools port to a file in the profile once it listens (up to 60 s on a busy machine).
async function devtoolsPort(userDir) {
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
