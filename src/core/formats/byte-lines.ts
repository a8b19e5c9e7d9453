import type { PointSink } from './format';
import { utf8 } from './numbers';

/** A line parser with a byte-level fast path for its common lines and a string path for the rest. */
export interface FastPathParser {
  /** Reads the line at `buf[a]` on the fast path: the index of its `\n` (or `end`), or -1 having done nothing. */
  fastLine(buf: Uint8Array, a: number, end: number, lineNo: number, sink: PointSink): number;
  parseLineTo(line: string, lineNo: number, sink: PointSink): void;
}

/**
 * Every complete line of `buf[start, end)` through the parser's fast path, falling back to its string
 * path (without the `\r` of a CRLF ending) for lines the fast path declines. Returns the line count.
 */
export function parseLinesFast(p: FastPathParser, buf: Uint8Array, start: number, end: number, firstLineNo: number, sink: PointSink): number {
  let a = start;
  let lineNo = firstLineNo;
  let lines = 0;
  while (a < end) {
    let e = p.fastLine(buf, a, end, lineNo, sink);
    if (e < 0) {
      e = buf.indexOf(10, a);
      if (e < 0 || e > end) e = end;
      let b = e;
      if (b > a && buf[b - 1] === 13) b--;
      if (b > a) p.parseLineTo(utf8(buf, a, b), lineNo, sink);
    }
    a = e + 1;
    lines++;
    lineNo++;
  }
  return lines;
}
