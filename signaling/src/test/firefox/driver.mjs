// Drives one headless Firefox ESR over WebDriver BiDi (puppeteer-core) for Atrium's browser
// tests; started and stopped by Firefox.java.
//
//   node driver.mjs <firefox binary> <profile dir> <viewport width> <viewport height>
//
// Requests arrive as JSON lines on stdin, answers leave as JSON lines on stdout, one per request
// and in order:
//   {"id":1,"op":"preload","script":"..."}                    runs before each document's scripts
//   {"id":1,"op":"open","url":"http://127.0.0.1:8080/room/x"}
//   {"id":2,"op":"eval","script":"return 1 + 1;","args":[]}   body of an async function;
//                                                               the value goes back as JSON
//   {"id":3,"op":"console"}                                   console lines since the last call
//   {"id":4,"op":"url"}
//   {"id":5,"op":"close"}                                     closes Firefox, then exits
// An answer is {"id":..,"ok":true,"value":..} or {"id":..,"ok":false,"error":"..."}. The first
// line, before any request, is {"ready":true,"browser":"Firefox/153...","pid":<Firefox's PID>}.
import puppeteer from 'puppeteer-core';
import readline from 'node:readline';

const [executablePath, userDataDir, width, height] = process.argv.slice(2);

// Fake camera and microphone without a prompt, ICE on loopback with real addresses (no mDNS),
// and no name lookups at all; nothing that phones home.
const prefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'network.dns.disabled': true,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

function send(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

let browser = null;
let page = null;
const consoleLines = [];

async function handle(req) {
  switch (req.op) {
    case 'preload':
      await page.evaluateOnNewDocument(req.script);
      return null;
    case 'open':
      await page.goto(req.url, { waitUntil: 'load', timeout: 30000 });
      return null;
    case 'eval': {
      // The page serializes the value itself, so Maps or DOM objects fail there and not here.
      const expression =
        '(async function () {\n' + req.script + '\n}).apply(null, ' + JSON.stringify(req.args ?? []) + ')' +
        '.then(v => JSON.stringify(v === undefined ? null : v))';
      const json = await page.evaluate(expression);
      return JSON.parse(json);
    }
    case 'console':
      return consoleLines.splice(0, consoleLines.length);
    case 'url':
      return page.url();
    case 'close':
      await browser.close();
      browser = null;
      return null;
    default:
      throw new Error('unknown op ' + req.op);
  }
}

async function main() {
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    userDataDir,
    headless: true,
    defaultViewport: { width: Number(width), height: Number(height) },
    extraPrefsFirefox: prefs,
    args: ['--width=' + width, '--height=' + height],
  });
  const pages = await browser.pages();
  page = pages.length > 0 ? pages[0] : await browser.newPage();
  page.on('console', m => consoleLines.push(m.type().toUpperCase() + ' ' + m.text()));
  page.on('pageerror', e => consoleLines.push('PAGEERROR ' + (e && e.stack ? e.stack : e)));
  send({ ready: true, browser: await browser.version(), pid: browser.process()?.pid ?? -1 });

  // One request at a time, in order.
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let req;
    try {
      req = JSON.parse(line);
    } catch (e) {
      send({ id: null, ok: false, error: 'bad request: ' + e });
      continue;
    }
    try {
      send({ id: req.id, ok: true, value: await handle(req) });
    } catch (e) {
      send({ id: req.id, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
    if (req.op === 'close') break;
  }
  if (browser) await browser.close().catch(() => {});
  process.exit(0);
}

main().catch(e => {
  send({ ready: false, error: String(e && e.stack ? e.stack : e) });
  if (browser) browser.close().catch(() => {});
  process.exit(1);
});
