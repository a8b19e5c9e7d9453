/**
 * Columns of a PointSink by (canonical name, raw name), created on first use: a parser resolves its
 * columns once and keeps writing to the same objects.
 */
export class ColumnCache<C> {
  private readonly byName = new Map<string, Map<string, C>>();

  constructor(private readonly create: (name: string, rawName: string) => C) {}

  get(name: string, rawName: string): C {
    let byRaw = this.byName.get(name);
    if (!byRaw) {
      byRaw = new Map();
      this.byName.set(name, byRaw);
    }
    let c = byRaw.get(rawName);
    if (!c) {
      c = this.create(name, rawName);
      byRaw.set(rawName, c);
    }
    return c;
  }
}
