// Drives VS Code (code-server) in headless Chromium and saves docs/images/vscode.png:
// the InkSlop extension on a real script, with the real `inkslop lsp` behind it.
// Run by take.sh, which starts code-server; argv: base URL, workspace folder, output file.
import { chromium } from "playwright-core";

const [url, folder, output] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
await page.waitForTimeout(3000);

async function command(name) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input");
  await page.keyboard.type(name);
  await page.waitForTimeout(400);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(600);
}

// open the script
await page.keyboard.press("Control+p");
await page.waitForSelector(".quick-input-widget input");
await page.keyboard.type("mantis-shrimp.inkslop");
await page.waitForTimeout(800);
await page.keyboard.press("Enter");
await page.waitForSelector(".monaco-editor .view-lines");

// the server's diagnostics, in the Problems panel
await page.waitForSelector(".squiggly-warning", { timeout: 60000 });
await command("View: Focus Problems");

// completion of the empty voice on line 10: `voice="|"`
await page.click(".monaco-editor .view-lines");
await command("Go to Line/Column...");
await page.keyboard.type("10:33");
await page.keyboard.press("Enter");
await page.waitForTimeout(500);
await page.keyboard.press("Control+Space");
await page.waitForSelector(".suggest-widget.visible", { timeout: 30000 });
await page.waitForTimeout(1500);  // the detail pane of the first voice
await page.screenshot({ path: output });
await browser.close();
