/**
 * A small JSON reader for what Python's `json.dumps` writes: standard JSON plus the bare tokens
 * `NaN`, `Infinity`, `-Infinity` (allow_nan=True). It also records the 1-based line of every object
 * and object key, so a diagnostic can point at the line where a value was written.
 *
 * It never throws: on malformed input it returns what it read so far plus an error message. It is
 * iterative over arrays/objects with an explicit depth limit, so hostile nesting cannot blow the stack.
 */

export type JValue = number | string | boolean | null | JValue[] | JObject;

export class JObject {
  readonly keys: string[] = [];
  readonly values: JValue[] = [];
  /** 1-based line of each key. */
  readonly keyLines: number[] = [];
  /** False when the text ended inside this object (its last value may be cut short). */
  closed = false;
  constructor(readonly line: number) {}

  get(key: string): JValue | undefined {
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }
  lineOf(key: string): number {
    const i = this.keys.indexOf(key);
    return i < 0 ? this.line : this.keyLines[i];
  }
}

export interface JParse {
  value: JValue | undefined;
  error?: string;
}

const MAX_DEPTH = 256;

export function parseTolerantJson(text: string, firstLine = 1): JParse {
  const p = new Reader(text, firstLine);
  try {
    p.ws();
    const value = p.value(0);
    p.ws();
    if (p.i < text.length) return { value, error: `line ${p.line}: unexpected text after the JSON value` };
    return { value };
  } catch (e) {
    if (e instanceof JsonError) return { value: p.partial, error: e.message };
    throw e;
  }
}

class JsonError extends Error {}

class Reader {
  i = 0;
  line: number;
  /** The outermost container, kept so a truncated document still yields what was read. */
  partial: JValue | undefined;

  constructor(
    private readonly s: string,
    firstLine: number,
  ) {
    this.line = firstLine;
  }

  fail(what: string): never {
    throw new JsonError(`line ${this.line}: ${what}`);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      i++;
    }
    this.i = i;
  }

  /**
   * `attach` receives a container as soon as it is created, so a document cut off inside it still
   * shows what was read (a trainer_state.json caught mid-rewrite keeps its complete entries).
   */
  value(depth: number, attach?: (v: JValue) => void): JValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.s.charCodeAt(this.i);
    if (c === 123) return this.object(depth, attach);
    if (c === 91) return this.array(depth, attach);
    if (c === 34) return this.string();
    return this.scalar();
  }

  object(depth: number, attach?: (v: JValue) => void): JObject {
    const o = new JObject(this.line);
    if (this.partial === undefined) this.partial = o;
    if (attach) attach(o);
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      o.closed = true;
      return o;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 34) this.fail('expected a key');
      const keyLine = this.line;
      const k = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail('expected ":"');
      this.i++;
      this.ws();
      o.keys.push(k);
      o.keyLines.push(keyLine);
      const idx = o.values.length;
      o.values.push(null);
      const vc = this.s.charCodeAt(this.i);
      o.values[idx] = this.value(depth + 1, vc === 123 || vc === 91 ? (v) => (o.values[idx] = v) : undefined);
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 44) continue;
      if (c === 125) {
        o.closed = true;
        return o;
      }
      this.fail('expected "," or "}"');
    }
  }

  array(depth: number, attach?: (v: JValue) => void): JValue[] {
    const a: JValue[] = [];
    if (this.partial === undefined) this.partial = a;
    if (attach) attach(a);
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      return a;
    }
    for (;;) {
      this.ws();
      const idx = a.length;
      a.push(null);
      const vc = this.s.charCodeAt(this.i);
      a[idx] = this.value(depth + 1, vc === 123 || vc === 91 ? (v) => (a[idx] = v) : undefined);
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 44) continue;
      if (c === 93) return a;
      this.fail('expected "," or "]"');
    }
  }

  string(): string {
    const s = this.s;
    const start = ++this.i;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) return this.escapedString(start);
      if (c !== c || c === 10) this.fail('unterminated string'); // NaN: end of text
      i++;
    }
    this.i = i + 1;
    return s.slice(start, i);
  }

  private escapedString(start: number): string {
    const s = this.s;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c !== c || c === 10) this.fail('unterminated string');
      if (c === 92) i += 2;
      else if (c === 34) break;
      else i++;
    }
    this.i = i + 1;
    try {
      return JSON.parse(s.slice(start - 1, i + 1)) as string;
    } catch {
      return s.slice(start, i); // an escape JSON refuses: the raw characters, as written
    }
  }

  scalar(): JValue {
    const s = this.s;
    const start = this.i;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      // Stop at structure, whitespace or end of text.
      if (c !== c || c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9 || c === 58)
        break;
      i++;
      if (i - start > 400) this.fail('token too long');
    }
    if (i === start) this.fail('expected a value');
    this.i = i;
    const t = s.slice(start, i);
    switch (t) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
    }
    const v = +t;
    if (v !== v) this.fail(`not a number: ${t.slice(0, 40)}`);
    return v;
  }
}

/**
 * Parses one JSON-lines record into plain JS values: native JSON.parse when the line has no
 * NaN/Infinity token (fast path), the tolerant reader otherwise. Undefined when malformed.
 */
export function parseJsonLine(line: string): unknown {
  if (line.indexOf('NaN') < 0 && line.indexOf('Infinity') < 0) {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return undefined; // not strict JSON: the tolerant parser below reads it
    }
  }
  const r = parseTolerantJson(line);
  return r.error || r.value === undefined ? undefined : toPlain(r.value);
}

/** JValue → plain JS values (objects become records; duplicate keys: last wins, as in JSON.parse). */
export function toPlain(x: JValue): unknown {
  if (x instanceof JObject) {
    const o = Object.create(null) as Record<string, unknown>; // `__proto__` stays a plain key
    for (let i = 0; i < x.keys.length; i++) o[x.keys[i]] = toPlain(x.values[i]);
    return o;
  }
  if (Array.isArray(x)) return x.map(toPlain);
  return x;
}
