// Drives real VS Code (code-server) in headless Chromium with playwright-core:
// the tmpl-ls extension, installed from its .vsix, starts the server given by
// the workspace setting tmpl-ls.path. Run by run.sh, which sets:
//   TMPL_WS        the copy of examples/workspace code-server has open
//   TMPL_EXPECTED  `tmpl-ls check --format json` of the document, for comparison
//   TMPL_EXPECTED_YAML  the same of a YAML template and of a document written from one
//   TMPL_SHOTS     where screenshots of failures go
//   TMPL_PICTURES  where the README's pictures go (mode "full": diagnostic.png,
//                  completion.png, quickfix.png; `make screenshots` commits them)
//   TMPL_MODE      "full" (every check), "bundled" (the extension that carries
//                  its server: the document's diagnostics only, names prefixed) or
//                  "yaml" (a workspace of YAML, TMPL_EXPECTED for templates/agent.yaml)
//   TMPL_STARTED   a file the server's wrapper creates when it starts (mode "yaml")
// Usage: node ui-test.js URL.  Prints "ok NAME" / "not ok NAME: WHY".
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const URL = process.argv[2];
const WS = process.env.TMPL_WS;
const SHOTS = process.env.TMPL_SHOTS || '.';
const PICTURES = process.env.TMPL_PICTURES || path.join(SHOTS, 'readme');
const MODE = process.env.TMPL_MODE || 'full';
const PREFIX = MODE === 'full' ? '' : `${MODE}: `;
const DOC = 'docs/infrastructure-architecture.md';
const TMPL = '.bmad-core/templates/infrastructure-architecture-tmpl.md';
const YTMPL = 'templates/broken-tmpl.yaml';   // a YAML template with mistakes
const YDOC = 'docs/stories/1.2.md';           // written from templates/story-tmpl.yaml
const expected = JSON.parse(fs.readFileSync(process.env.TMPL_EXPECTED, 'utf8'));
const expectedYaml = MODE === 'full' ? JSON.parse(fs.readFileSync(process.env.TMPL_EXPECTED_YAML, 'utf8')) : [];
const settingsFile = path.join(WS, '.vscode', 'settings.json');
const baseSettings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));

let page;
let shot = 0;
async function check(name, ok, why) {
  name = PREFIX + name;
  if (ok) { console.log(`ok ${name}`); return true; }
  const file = path.join(SHOTS, `${++shot}-${name.replace(/[^A-Za-z0-9]+/g, '-')}.png`);
  if (page) await page.screenshot({ path: file }).catch(() => {});
  console.log(`not ok ${name}: ${String(why === undefined ? 'failed' : why).replace(/\s+/g, ' ').slice(0, 700)} (screenshot ${file})`);
  return false;
}
async function waitFor(fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { /* retry */ }
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 250));
  }
}
const text = (s) => s.replace(/\u00a0/g, ' ');
// A picture for the README: the editor area, written and checked.
async function picture(name) {
  fs.mkdirSync(PICTURES, { recursive: true });
  const file = path.join(PICTURES, `${name}.png`);
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 1400, height: 760 } }).catch(() => {});
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  await check(`README picture ${name}.png written`, size > 10000, `${file}: ${size} bytes`);
}
const editorText = async () => text(await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText());
const activeTab = async () => text(await page.locator('.tab.active').first().innerText());
// The rows of the Problems panel (one per file, one per diagnostic).
async function problems() {
  const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  return rows.map((r) => text(r).replace(/\s+/g, ' '));
}
// A diagnostic row shows "message source(code) [Ln L, Col C]" (innerText: "tmpl-ls code [Ln L, Col C]").
const ROW = /tmpl-ls\W*([a-z-]+)\)? \[Ln (\d+), Col (\d+)\]/;
const rowOf = (rows, d) => rows.find((r) => { const m = r.match(ROW);
  return m && m[1] === d.code && +m[2] === d.line && +m[3] === d.column; });
const codesIn = (rows) => rows.map((r) => (r.match(ROW) || [])[1]).filter(Boolean);

async function quickOpen(file) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
  await page.keyboard.type(file);
  const row = await waitFor(async () => {
    const r = page.locator('.quick-input-list .monaco-list-row').first();
    return (await r.isVisible()) && (await r.innerText()).includes(path.basename(file)) && r;
  }, 15000);
  if (!row) throw new Error(`Quick Open found no ${file}`);
  await page.keyboard.press('Enter');
  return waitFor(async () => (await activeTab()).includes(path.basename(file)), 10000);
}
async function showProblems() {
  if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout: 10000 });
}
// The Problems panel filtered to one file (its filter box takes a glob, as a
// user types it): the panel lists only so many rows, and several files have
// diagnostics by now. '' shows every file again.
async function filterProblems(glob) {
  await showProblems();
  // typed with the keyboard: a value set by script is not always taken up
  const input = page.locator('.panel input[aria-label="Filter Problems"]').first();
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  if (glob) await page.keyboard.type(glob);
}
// Opens FILE and checks that the Problems panel shows just the diagnostics
// `tmpl-ls check` gives for it, with the codes MUST among them; returns the rows.
async function fileDiagnostics(label, file, must) {
  const want = expectedYaml.filter((d) => d.file === file);
  if (!await check(`${label} opened`, await quickOpen(file), 'no editor with ' + file)) return null;
  // The filter is typed again while other files' rows still show (once in a
  // while the panel does not take it up).
  let typed = 0;
  const all = await waitFor(async () => {
    if (Date.now() - typed > 4000) { await filterProblems('**/' + file); typed = Date.now(); }
    const r = await problems();
    return want.every((d) => rowOf(r, d)) && codesIn(r).length === want.length && r;
  }, 30000);
  const rows = all || await problems();
  const codes = codesIn(rows);
  await check(`${label}: problems panel shows the diagnostics of tmpl-ls check`,
    !!all && must.every((c) => codes.includes(c)),
    `expected ${want.map((d) => `${d.code}@${d.line}:${d.column}`).join(' ')}; panel: ${rows.join(' | ')}`);
  return rows;
}
// Mode "yaml": a workspace with no template by name. Other YAML, even in a
// templates folder, does not start the server; a YAML template there (known
// by its text) does, and gets its diagnostics, and only it.
async function yamlWorkspace() {
  const started = () => fs.existsSync(process.env.TMPL_STARTED);
  await check('config.yaml opened', await quickOpen('config.yaml'), 'no editor with config.yaml');
  await check('templates/service.yaml opened', await quickOpen('templates/service.yaml'), 'no editor');
  await page.waitForTimeout(5000);
  await check('other YAML does not start the server', !started(), 'the server was started');
  await check('templates/agent.yaml opened', await quickOpen('templates/agent.yaml'), 'no editor');
  await showProblems();
  const all = await waitFor(async () => { const r = await problems(); return expected.every((d) => rowOf(r, d)) && r; }, 30000);
  const rows = all || await problems();
  await check('a YAML template known by its text starts the server', started(), 'no start');
  await check('problems panel shows the YAML template\'s diagnostics of tmpl-ls check, and no others',
    !!all && codesIn(rows).length === expected.length && codesIn(rows).includes('yaml-syntax'),
    `expected ${expected.map((d) => `${d.code}@${d.line}:${d.column}`).join(' ')}; panel: ${rows.join(' | ')}`);
}
function writeSettings(extra) {
  fs.writeFileSync(settingsFile, JSON.stringify(Object.assign({}, baseSettings, extra), null, 2) + '\n');
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    await page.goto(URL);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 30000 }).catch(() => {});
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 500 } }).catch(() => {});
    if (MODE === 'yaml') { await yamlWorkspace(); return; }

    // 1. open the document
    await check('document opened', await quickOpen(DOC) &&
      await waitFor(async () => (await editorText()).includes('Infrastructure Architecture')), 'no editor with ' + DOC);

    // 2. diagnostics in the Problems panel, the same as `tmpl-ls check` (code, line, column)
    await showProblems();
    const all = await waitFor(async () => { const r = await problems(); return expected.every((d) => rowOf(r, d)) && r; }, 30000);
    const rows = all || await problems();
    await check('problems panel shows the diagnostics of tmpl-ls check', !!all,
      `expected ${expected.map((d) => `${d.code}@${d.line}:${d.column}`).join(' ')}; panel: ${rows.join(' | ')}`);
    const codes = codesIn(rows);
    await check('no diagnostics beyond tmpl-ls check', codes.length === expected.length,
      `panel codes ${codes.join(' ')}`);
    for (const code of ['unfilled-placeholder', 'missing-section']) {
      await check(`problems panel shows ${code}`, codes.includes(code), `panel codes ${codes.join(' ')}`);
    }
    // The extension with its own server: no tmpl-ls.path, no tmpl-ls on PATH;
    // the diagnostics above can only have come from the binary it carries.
    if (MODE === 'bundled') return;

    // 3. setting tmpl-ls.diagnostics {"missing-section": "off"} in the workspace settings
    writeSettings({ 'tmpl-ls.diagnostics': { 'missing-section': 'off' } });
    const off = await waitFor(async () => {
      const c = codesIn(await problems());
      return !c.includes('missing-section') && c.includes('unfilled-placeholder') && c;
    }, 30000);
    await check('setting diagnostics missing-section off removes missing-section', !!off,
      `panel codes ${codesIn(await problems()).join(' ')}`);
    writeSettings({});
    const back = await waitFor(async () => codesIn(await problems()).includes('missing-section'), 30000);
    await check('removing the setting brings missing-section back', !!back,
      `panel codes ${codesIn(await problems()).join(' ')}`);

    // 4. Ctrl+. on the missing-section diagnostic: "Insert missing section ...", applied
    const ms = expected.find((d) => d.code === 'missing-section');
    const heading = ms && (ms.message.match(/"(#+ [^"]+)"/) || [])[1];
    await page.locator('.markers-panel .monaco-list-row', { hasText: /missing-section/ }).first().click();
    await page.keyboard.press('Control+1');   // the problem's range is selected; focus the editor
    await check('the diagnostic is drawn in the editor',
      await waitFor(() => page.locator('.monaco-editor .squiggly-info').count(), 10000), 'no .squiggly-info');
    // the README's first picture: the diagnostic's hover over its squiggle
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await check('the diagnostic shows in a hover', await waitFor(async () => {
      const t = text(await page.locator('.monaco-hover:not(.hidden)').first().innerText());
      return t.includes('missing-section') && t;
    }, 10000), 'no hover with missing-section');
    await picture('diagnostic');
    await page.keyboard.press('Escape');

    // 4a. completion of a section heading on a new line where the missing
    //     section belongs: the template's section is in the list (the
    //     README's picture); then undone
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('## ');
    await page.keyboard.press('Control+Space');
    const want = heading ? heading.replace(/^#+ /, '') : 'Disaster Recovery';
    const sugg = await waitFor(async () => {
      const rows = await page.locator('.suggest-widget .monaco-list-row').allInnerTexts();
      return rows.some((r) => r.includes(want)) && rows.join(' | ');
    }, 15000);
    await check(`completion after "## " offers the missing section (${want})`, !!sugg,
      (await page.locator('.suggest-widget .monaco-list-row').allInnerTexts().catch(() => [])).join(' | ') || 'no list');
    if (sugg) await picture('completion');
    await page.keyboard.press('Escape');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Control+Z');
    await page.locator('.markers-panel .monaco-list-row', { hasText: /missing-section/ }).first().click();
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+.');
    const item = await waitFor(async () => {
      const r = page.locator('.action-widget .monaco-list-row', { hasText: 'Insert missing section' }).first();
      return (await r.isVisible()) && r;
    }, 15000);
    const menu = await page.locator('.action-widget').innerText().catch(() => '');
    if (await check('Ctrl+. offers "Insert missing section ..."', !!item, `menu: ${menu || 'none'}`)) {
      await picture('quickfix');
      // move the focus to the action with the keyboard (clicks on the widget's rows are
      // intercepted by its hover), then Enter applies it
      let title = '';
      for (let i = 0; i < 12; i++) {
        title = await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label').catch(() => '') || '';
        if (title.startsWith('Insert missing section')) break;
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(100);
      }
      await page.keyboard.press('Enter');
      const inserted = await waitFor(async () => (await editorText()).includes(heading), 10000);
      await check('applying it inserts the heading', !!inserted && heading, `${title}: no "${heading}" in the editor`);
      const gone = await waitFor(async () => {
        const c = codesIn(await problems());
        return !c.includes('missing-section') && c.length > 0;
      }, 20000);
      await check('diagnostics re-published without missing-section', !!gone,
        `panel codes ${codesIn(await problems()).join(' ')}`);
    }
    await page.keyboard.press('Escape');

    // 5. hover on a placeholder in the template
    await check('template opened', await quickOpen(TMPL), 'no editor with ' + TMPL);
    const ph = await waitFor(async () => {
      const s = page.locator('.editor-instance .view-line span span', { hasText: 'Project' }).first();
      return (await s.isVisible()) && s;
    }, 10000);
    let hov = null;
    if (ph) {
      // The cursor on the placeholder and the keyboard's "Show Hover"
      // (Ctrl+K Ctrl+I) ask as a user does without the mouse's timing; a
      // hover that came before the server had the template is asked again.
      hov = await waitFor(async () => {
        await page.keyboard.press('Escape');
        await ph.click();
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const shown = await waitFor(async () => {
          const t = text(await page.locator('.monaco-hover:not(.hidden)').first().innerText());
          return t.includes('Project Name') && /placeholder/i.test(t) && t;
        }, 3000);
        if (shown) return shown;
        await page.mouse.move(5, 5);
        await ph.hover();
        return waitFor(async () => {
          const t = text(await page.locator('.monaco-hover:not(.hidden)').first().innerText());
          return t.includes('Project Name') && /placeholder/i.test(t) && t;
        }, 2000);
      }, 30000);
    }
    await check('hover on a placeholder in the template shows text', !!hov,
      ph ? await page.locator('.monaco-hover').first().innerText().catch(() => 'no hover') : 'no {{Project Name}} on screen');
    await page.mouse.move(5, 5);

    // 6. a YAML template: its diagnostics, and again after an edit typed into it
    if (await fileDiagnostics('YAML template', YTMPL, ['yaml-syntax', 'duplicate-id', 'wrong-type'])) {
      const fixed = expectedYaml.filter((d) => d.file === YTMPL && d.code !== 'wrong-type');
      const wt = expectedYaml.find((d) => d.file === YTMPL && d.code === 'wrong-type');
      // "repeatable: maybe" on the wrong-type line: "maybe" becomes "true"
      await page.keyboard.press('Control+1');
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
      await page.keyboard.type(String(wt.line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      for (let i = 0; i < 'maybe'.length; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type('true');
      const edited = await waitFor(async () => {
        const r = await problems();
        return codesIn(r).length === fixed.length && fixed.every((d) => rowOf(r, d)) && r;
      }, 20000);
      await check('YAML template: an edit re-checks it (wrong-type gone)', !!edited,
        `editor line ${wt.line}; panel: ${(await problems()).join(' | ')}`);
    }

    // 7. a document written from a YAML template; its missing section's
    //    related information points into the YAML template
    const drows = await fileDiagnostics('document of a YAML template', YDOC, ['missing-section', 'unfilled-placeholder']);
    if (drows) {
      // the related information's row comes under its diagnostic's, once drawn
      const rel = await waitFor(async () => (await problems()).some((r) => r.startsWith('story-tmpl.yaml ')), 10000);
      await check('document of a YAML template: related information in story-tmpl.yaml', !!rel,
        (await problems()).join(' | '));
    }
    await filterProblems('');

    // 8. the problems of a file never opened (workspace/diagnostic), once
    //    tmpl-ls.workspaceDiagnostics, off in this workspace so far, is on
    writeSettings({ 'tmpl-ls.workspaceDiagnostics': true });
    const never = 'templates/release-notes-tmpl.md';
    let typedW = 0;
    const wrows = await waitFor(async () => {
      if (Date.now() - typedW > 4000) { await filterProblems('**/' + never); typedW = Date.now(); }
      const r = await problems();
      return rowOf(r, { code: 'unclosed-block', line: 40, column: 1 }) && r;
    }, 30000);
    await check('workspace diagnostics: a template never opened shows its problems (unclosed-block 40:1)', !!wrows,
      (await problems()).join(' | '));
    await filterProblems('');

    // 9. a server that cannot be started: a clear error message
    writeSettings({ 'tmpl-ls.path': '/nonexistent/tmpl-ls' });
    const err = await waitFor(async () => {
      const t = text(await page.locator('.notifications-toasts').innerText());
      return t.includes('cannot start the language server') && t;
    }, 20000);
    await check('a missing server gives an error message naming tmpl-ls.path', !!err && err.includes('tmpl-ls.path'),
      err || 'no notification');
  } catch (e) {
    await check('exception', false, e.stack);
  } finally {
    await browser.close();
  }
})();
