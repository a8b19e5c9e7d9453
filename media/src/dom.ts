/** Builds elements with text only: nothing from a log or config is ever parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: { className?: string; title?: string; role?: string; ariaLabel?: string; dataset?: Record<string, string> } = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (attrs.className) e.className = attrs.className;
  if (attrs.title) e.title = attrs.title;
  if (attrs.role) e.setAttribute('role', attrs.role);
  if (attrs.ariaLabel) e.setAttribute('aria-label', attrs.ariaLabel);
  if (attrs.dataset) for (const [k, v] of Object.entries(attrs.dataset)) e.dataset[k] = v;
  for (const c of children) {
    if (c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/**
 * Light Markdown of the knowledge base (`**bold**`, `code`) rendered as elements; every piece of text
 * stays a text node.
 */
export function richText(s: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const re = /(\*\*[^*]+\*\*|`[^`]+`)/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.index > last) frag.append(document.createTextNode(s.slice(last, m.index)));
    const tok = m[0];
    frag.append(tok.startsWith('**') ? el('strong', {}, tok.slice(2, -2)) : el('code', {}, tok.slice(1, -1)));
    last = m.index + tok.length;
  }
  if (last < s.length) frag.append(document.createTextNode(s.slice(last)));
  return frag;
}
