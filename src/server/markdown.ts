/**
 * Text from logs and configs goes into Markdown hovers that are trusted for our own command links.
 * Every character Markdown gives meaning to is escaped so that a metric named `[x](command:…)` or
 * `<img onerror=…>` is shown as the text it is and can never become a link or HTML.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/**
 * A `command:` link with JSON arguments, as VS Code expects in trusted Markdown. encodeURIComponent
 * leaves `(` and `)`; an unbalanced one (a path like `run (copy/`) would end the link destination
 * early, so they are percent-encoded too.
 */
export function commandLink(label: string, command: string, args: unknown): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(label)}](command:${command}?${query} "${escapeMarkdown(label)}")`;
}
