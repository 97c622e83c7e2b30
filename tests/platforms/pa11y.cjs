// pa11y (HTML_CodeSniffer's WCAG 2 AA rules) over the addresses given as arguments, in one browser:
// Debian's chromium, or the one FACTCHECK_CHROMIUM names; puppeteer never downloads one. Prints one JSON
// object: address -> the issues pa11y reports (errors only).
'use strict';
const pa11y = require('pa11y');
const puppeteer = require('puppeteer');

async function main(urls) {
  const browser = await puppeteer.launch({
    executablePath: process.env.FACTCHECK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const found = {};
  try {
    for (const url of urls) {
      const page = await browser.newPage();
      const result = await pa11y(url, {browser, page, runners: ['htmlcs'], standard: 'WCAG2AA', includeWarnings: false, timeout: 60000});
      found[url] = result.issues.map(({code, message, selector, context}) => ({code, message, selector, context}));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
}

main(process.argv.slice(2)).catch((error) => { console.error(error); process.exit(1); });
