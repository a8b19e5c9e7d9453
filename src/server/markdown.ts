/**
 * Text from logs and configs goes into Markdown hovers that are trusted for our own command links.
 * Every character Markdown gives meaning to is escaped so that a metric named `[x](command:…)` or
 * `<img onerror=…>` is shown as the text it is and can never become a link or HTML.
 */
export function escapeMarkdown(s: string): string {
  return (
    s
      .replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, (c) => `\\${c}`)
      .replace(/\r?\n/g, ' ')
      // Escaped dots break `https://a.b`, but GFM autolinking still makes `https://intranet/x` a link;
      // with its colon escaped the scheme no longer reads as one.
      .replace(/:\/\//g, '\\://')
  );
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

/**
 * The knowledge base's own light Markdown (`**bold**` and `` `code` ``, see src/core/scenarios) kept
 * as formatting, with every other character escaped: the texts are ours, but nothing in them can form
 * a link or HTML even if one slipped in.
 */
export function knowledgeMarkdown(s: string): string {
  return s
    .split(/(\*\*[^*\n]+\*\*|`[^`\n]+`)/)
    .map((part, i) => {
      if (i % 2 === 0) return escapeMarkdown(part);
      // Inside a code span Markdown is literal: no link, emphasis or HTML can start there.
      if (part.startsWith('`')) return part;
      return `**${escapeMarkdown(part.slice(2, -2))}**`;
    })
    .join('');
}
