// @ts-check
// Debian's Chromium as the browser tests and the benchmark run it: headless, with the flags that
// keep it from reaching the network on its own, in a fresh profile directory each time.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts /usr/bin/chromium on a new profile directory (playwright refuses --user-data-dir in
 * `launch`, hence a persistent context). `close()` stops it and removes the directory.
 * @param {Parameters<typeof chromium.launchPersistentContext>[1]} [options] more context options
 */
export async function launchChromium(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tcp-timeline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
