/**
 * Hostile text from logs, configs and paths is shown as text: in Markdown hovers (escaped; the only
 * link is our own `command:traindx.explain`), in the CLI's text output (terminal escapes neutralised)
 * and in SARIF/JSON (valid JSON; the text kept verbatim, never interpreted).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { readConfig } from '../../../src/core/config/read-config';
import type { AnalysisResult } from '../../../src/core/analyze';
import { Run } from '../../../src/core/run/run';
import type { Finding, MetricEvent } from '../../../src/core/types';
import { main } from '../../../src/cli/main';
import { formatSarif } from '../../../src/cli/format-sarif';
import { formatText, safeText } from '../../../src/cli/format-text';
import { configKeyHover } from '../../../src/server/config-hover';
import { findingHover, seriesHover } from '../../../src/server/hover';
import { commandLink, escapeMarkdown } from '../../../src/server/markdown';
import { ownCommandLinks, PATH_PAYLOADS, PAYLOADS, unescapedLinkOpeners, unescapedSpecials } from './payloads';

const ANSI = ['\x1b[2J\x1b[H', '\x1b]0;pwned\x07', '\x1b[31mred\x1b[0m', '\x9b31m', '\r\x1b[Kfake: all clear', '\x08\x08\x08', '\x00'];

function finding(message: string, file: string, line = 3): Finding {
  return { scenario: 'divergence', rule: 'nonfinite', severity: 'warning', message, file, line, evidence: { metric: message } } as Finding;
}

/** Asserts that `md` makes no link except our own explain link and no raw HTML. */
function assertInert(md: string, what: string): void {
  const own = ownCommandLinks(md);
  for (const at of unescapedLinkOpeners(md)) {
    assert.ok(
      own.some(([a, b]) => at >= a && at < b),
      `${what}: a link that is not ours at ${at}: …${md.slice(Math.max(0, at - 40), at + 60)}…`,
    );
  }
  const raw = unescapedSpecials(md).filter((s) => s.ch === '<' || s.ch === '>');
  assert.deepEqual(raw, [], `${what}: unescaped < or > (HTML) in ${md}`);
  assert.ok(!/javascript:/i.test(md.replace(/\\./g, '')) || !/\]\(javascript:/i.test(md), `${what}: javascript: link`);
}

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (d: Buffer) => o.push(d));
  err.on('data', (d: Buffer) => e.push(d));
  const code = await main(argv, out, err);
  return { code, out: Buffer.concat(o).toString('utf8'), err: Buffer.concat(e).toString('utf8') };
}

describe('security: text from logs is shown as text', () => {
  describe('Markdown hovers', () => {
    it('escapeMarkdown leaves no Markdown special unescaped, for every payload and every ASCII special', () => {
      const all = [...PAYLOADS, '\\`*_{}[]()#+-.!|<>~&"\'', 'a\\](command:x)', '\\\\[z](javascript:alert(1))', '![i](http://x/y.png)', '<a href="command:x">x</a>'];
      for (const p of all) {
        const md = escapeMarkdown(p);
        assert.deepEqual(unescapedSpecials(md), [], `${JSON.stringify(p)} → ${md}`);
        assert.deepEqual(unescapedLinkOpeners(md), [], p);
        assert.ok(!/[\r\n]/.test(md), 'no line breaks (a new line could start a block)');
        // Unescaping gives the text back: nothing is lost, only quoted.
        assert.equal(md.replace(/\\(.)/g, '$1'), p.replace(/\r?\n/g, ' '));
      }
    });

    it('a finding hover carries no message or path payload (VS Code shows the message as plain text); its only link is our explain command', () => {
      for (const p of [...PAYLOADS, ...ANSI]) {
        const file = path.join(os.tmpdir(), PATH_PAYLOADS[0], 'train.log');
        const md = findingHover([finding(`train_loss ${p} is NaN`, file)], `file:///x/${encodeURIComponent(p)}/train.log`);
        assertInert(md, p);
        assert.equal(ownCommandLinks(md).length, 1);
        // The message is the diagnostic's, which VS Code renders as text above the hover.
        assert.ok(!md.includes(escapeMarkdown(p)) && !md.includes(`train_loss ${p}`), `the message is repeated in ${md}`);
      }
    });

    it('the explain link survives a path with unbalanced parentheses (they are percent-encoded)', () => {
      const link = commandLink('Explain', 'traindx.explain', { scenario: 'divergence', uri: 'file:///runs/a)b(c/[y](command:x)/train.log', line: 0 });
      const dest = /\]\((command:[^ ]*) "/.exec(link)?.[1] ?? '';
      assert.ok(dest.startsWith('command:traindx.explain?'), link);
      assert.ok(!/[()[\] ]/.test(dest), `raw ( ) [ ] in the link destination ends or breaks the link: ${dest}`);
      assert.deepEqual(JSON.parse(decodeURIComponent(dest.slice(dest.indexOf('?') + 1))).uri, 'file:///runs/a)b(c/[y](command:x)/train.log');
    });

    it('a series hover escapes a metric name', () => {
      const run = new Run('r');
      for (const p of PAYLOADS) {
        const ev: MetricEvent[] = [1, 0.5, NaN, Infinity, -Infinity].map((v, i) => ({ name: p, rawName: p, value: v, epoch: i, line: i + 1 }));
        run.append('/r/train.log', ev);
        const md = seriesHover(run, p);
        assert.ok(md, p);
        assertInert(md, p);
        assert.ok(md.includes(escapeMarkdown(p)));
      }
    });

    it('a config key hover escapes hostile sweep parameter names and values', () => {
      const yaml = ['method: grid', 'parameters:', ...PAYLOADS.flatMap((p) => [`  ${JSON.stringify(p)}:`, `    values: [${JSON.stringify(p)}, 2, 3]`])].join('\n');
      const cfg = readConfig('/w/sweep.yaml', yaml);
      assert.ok(cfg?.sweep, 'read as a sweep');
      let hovers = 0;
      const lines = yaml.split('\n');
      for (let l = 0; l < lines.length; l++) {
        for (let c = 0; c < lines[l].length; c += 3) {
          const md = configKeyHover(cfg, l, c, 'file:///w/sweep.yaml');
          if (!md) continue;
          hovers++;
          assertInert(md, `line ${l} char ${c}`);
        }
      }
      assert.ok(hovers > 0, 'some hover on the sweep keys');
    });
  });

  describe('CLI text output', () => {
    it('safeText turns every C0/C1 control character (ESC, CSI, BEL, BS, NUL, CR) into \\xNN', () => {
      for (const p of ANSI) {
        const s = safeText(`a${p}b`);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(s), JSON.stringify(s));
      }
      // A newline (a file name can hold one) would start a forged line of our own: escaped too.
      assert.equal(safeText('tab\tand\nnewline'), 'tab\tand\\x0anewline');
    });

    it('formatText prints hostile messages and paths without a single raw escape (plain) or only its own SGR codes (colour)', () => {
      const findings = ANSI.map((p, i) => finding(`loss ${p} went NaN`, `/runs/${p}/train.log`, i + 1));
      const r: AnalysisResult = {
        version: 1,
        files: [{ path: `/runs/${ANSI[1]}/train.log`, kind: 'log', format: 'plain', points: 3, messages: [`line 2: ${ANSI[0]}`] }],
        findings,
        problems: [`/runs/${ANSI[2]}: EACCES`],
        ruleErrors: [],
        truncated: false,
      };
      const plain = formatText(r, false);
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(plain), plain);
      const colour = formatText(r, true);
      // eslint-disable-next-line no-control-regex
      const stripped = colour.replace(/\x1b\[(?:0|1|2|31|33|36)m/g, '');
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(stripped), stripped);
      for (const p of PAYLOADS) assert.ok(formatText({ ...r, findings: [finding(p, '/x.log')] }, false).includes(p), 'HTML-ish text is printed as is');
    });

    it('SARIF and JSON are valid JSON that keep hostile text verbatim', () => {
      const hostile = [...PAYLOADS, ...ANSI, '\u2028\u2029', '"}]},{"injected":true'];
      const findings = hostile.map((p, i) => finding(p, `/runs/${p}/train.log`, i + 1));
      const r: AnalysisResult = { version: 1, files: [], findings, problems: [], ruleErrors: [], truncated: false };
      const sarif = JSON.parse(JSON.stringify(formatSarif(r))) as { runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const results = sarif.runs[0].results;
      assert.equal(results.length, hostile.length);
      results.forEach((res, i) => {
        assert.equal(res.message.text, hostile[i]);
        const uri = res.locations[0].physicalLocation.artifactLocation.uri;
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u001f"<> ]/.test(uri), `artifact uri is percent-encoded: ${uri}`);
        assert.equal(decodeURI(uri), `/runs/${hostile[i]}/train.log`);
      });
    });

    describe('end to end through traindx check', () => {
      let dir: string;
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-sec-cli-'));
        // A diverged run in a folder named by each payload and a terminal escape; a sweep whose keys are payloads.
        for (const seg of [...PATH_PAYLOADS, '\x1b]0;pwned\x07\x1b[2J']) {
          const d = path.join(dir, seg);
          fs.mkdirSync(d, { recursive: true });
          const lines = Array.from({ length: 20 }, (_, e) => `epoch: ${e} train_loss: ${e >= 12 ? 'nan' : (2 / (e + 1)).toFixed(4)} val_loss: ${(2.1 / (e + 1)).toFixed(4)} lr: 0.001`);
          fs.writeFileSync(path.join(d, 'train.log'), `${lines.join('\n')}\n`);
        }
        const yaml = ['method: grid', 'parameters:', ...[...PAYLOADS, '\x1b[31m'].flatMap((p) => [`  ${JSON.stringify(p)}:`, '    values: [1, 2, 3, 4, 5]'])].join('\n');
        fs.writeFileSync(path.join(dir, 'sweep.yaml'), `${yaml}\n`);
      });
      after(() => fs.rmSync(dir, { recursive: true, force: true }));

      it('text: every finding printed, no raw control character, exit code 1', async () => {
        const r = await runCli(['check', dir, '--no-color']);
        assert.equal(r.code, 1, r.err);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(r.out + r.err), JSON.stringify(r.out));
        assert.ok(r.out.includes('\\x1b]0;pwned\\x07'), 'the escape is shown, quoted');
        for (const p of PAYLOADS) assert.ok(r.out.includes(p), `payload ${p} printed as text`);
      });

      it('json and sarif: valid JSON, payloads verbatim', async () => {
        const j = await runCli(['check', dir, '--format', 'json']);
        const parsed = JSON.parse(j.out) as { findings: { message: string; file: string }[] };
        assert.ok(parsed.findings.some((f) => f.message.includes(PAYLOADS[2])));
        assert.ok(parsed.findings.some((f) => f.file.includes(PATH_PAYLOADS[1])));
        const s = await runCli(['check', dir, '--format', 'sarif']);
        const sarif = JSON.parse(s.out) as { runs: { results: { message: { text: string } }[] }[] };
        assert.ok(sarif.runs[0].results.some((x) => x.message.text.includes(PAYLOADS[0])));
        assert.ok(sarif.runs[0].results.some((x) => x.message.text.includes('\x1b[31m')), 'SARIF keeps the text verbatim (JSON-escaped)');
      });
    });
  });
});
