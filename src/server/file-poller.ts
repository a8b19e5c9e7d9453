/**
 * Serialises reads per file: a change event that arrives while the file is being read schedules one
 * more read after it, so appends are never read twice at once and bursts of events cost one read.
 */
export class FilePoller {
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();

  constructor(
    private readonly read: (file: string) => Promise<void>,
    /** A read that threw: reported, and the next change event reads the file again. */
    private readonly failed: (file: string, err: unknown) => void,
  ) {}

  poll(file: string): void {
    if (this.running.has(file)) {
      this.again.add(file);
      return;
    }
    this.running.add(file);
    void this.read(file)
      .catch((err: unknown) => this.failed(file, err))
      .finally(() => {
        this.running.delete(file);
        if (this.again.delete(file)) this.poll(file);
      });
  }
}
