/**
 * The text of a printed log line before it is read (formats/plain.ts): the last state of a line a
 * terminal redrew, without ANSI codes or the prefix Python's `logging` puts before a message; and the
 * cheap tests the format's sniffer runs on a file's first lines.
 */

/**
 * The prefix Python's `logging` (and glog) puts before a message, removed before the message is read
 * (its file names, line numbers, logger names and clock are not metrics, and its words are not prose):
 * - Swin/DeiT `create_logger`: `[2026-04-24 21:01:55 swin_tiny] (main.py 272): INFO `;
 * - HF examples: `12/21/2022 19:15:41 - INFO - __main__ -   `; `asctime - name - LEVEL - `;
 * - BasicSR/PaddleGAN: `23-05-05 21:26:52.413 - INFO: `; `logging.basicConfig()`: `INFO:root:`;
 * - glog: `W0505 21:25:39.030349 315949 gpu_resources.cc:61] `.
 */
const LOG_PREFIX = new RegExp(
  '^(?:' +
    [
      String.raw`\[[^\]]{0,120}\]\s*\([\w.-]{1,80} \d+\):\s*(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+`,
      String.raw`[\d/:., -]{8,40}\s+-\s+(?:[\w.]{1,80}\s+-\s+)?(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)(?:\s+-\s+[\w.<>]{1,80}\s+-|\s*:|\s+-)\s*`,
      String.raw`(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.]{1,80}:`,
      String.raw`[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+\s+[\w.-]{1,80}:\d+\]\s*`,
    ].join('|') +
    ')',
);

/** The message of a line without its logging prefix (LOG_PREFIX). */
export function stripLogPrefix(s: string): string {
  const c = s.charCodeAt(0);
  // Every prefix starts with `[`, a digit or a capital letter: skip the regex for the rest.
  if (!(c === 91 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return s;
  const m = LOG_PREFIX.exec(s);
  return m ? s.slice(m[0].length) : s;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][A-Za-z0-9]|[=>])/g;

/** The final visible state of a terminal line: last non-blank `\r`/`\b` segment, no ANSI codes. */
export function clean(line: string): string {
  let s = line;
  if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
  if (s.indexOf('\r') >= 0 || s.indexOf('\b') >= 0) {
    let end = s.length;
    for (let i = s.length - 1; i >= -1; i--) {
      const c = i >= 0 ? s.charCodeAt(i) : 13;
      if (c === 13 || c === 8) {
        const seg = s.slice(i + 1, end);
        if (seg.trim().length > 0) {
          s = seg;
          break;
        }
        end = i;
      }
    }
    if (s.indexOf('\r') >= 0 || s.indexOf('\b') >= 0) s = '';
  }
  if (s.indexOf('\x1b') >= 0) s = s.replace(ANSI, '');
  return s;
}

/** What follows a key in a `key: value` pair; tried only where a key ends (see hasPairHint). */
const PAIR_TAIL = /\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/iy;
const KEY_CHAR = /[\w/@.-]/;
/**
 * `epoch 3`, `ep: 3`, `iter [3`: what `\b(?:epoch|ep|iter|step)\b\s*[:=[]?\s*\[?\s*\d` matches, with
 * each run of blanks read once (three optional runs in a row made a blank line cubic: 10 s per line
 * of 4 000 spaces after `epoch`).
 */
export const EPOCH_HINT = /\b(?:epoch|ep|iter|step)\b\s*(?:[:=[]\s*)?(?:\[\s*)?\d/i;
const KEY_START = /[A-Za-z_]/;

/**
 * Whether a line holds `key: number` (a key of `[\w/@.-]` with a letter or `_` in it). What
 * `/[A-Za-z_][\w/@.-]*\s*[:=]\s*[-+]?(?:\d|nan\b|inf\b)/i` found, in one pass: that expression tried
 * each letter of a long word as a start and read to the word's end each time (quadratic: 0.22 s per
 * 64 KB head of one long word per line). A key can only end where its run of key characters ends.
 */
export function hasPairHint(line: string): boolean {
  let i = 0;
  while (i < line.length) {
    if (!KEY_CHAR.test(line[i])) {
      i++;
      continue;
    }
    let letter = false;
    while (i < line.length && KEY_CHAR.test(line[i])) {
      if (!letter && KEY_START.test(line[i])) letter = true;
      i++;
    }
    if (!letter) continue;
    PAIR_TAIL.lastIndex = i;
    if (PAIR_TAIL.test(line)) return true;
  }
  return false;
}
