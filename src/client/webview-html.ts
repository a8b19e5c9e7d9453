/**
 * The run view's page and its Content-Security-Policy, without any vscode import so tests can build
 * exactly what the panel shows (test/unit/security/webview.test.ts renders it in headless Chromium).
 */

/** `default-src 'none'`; our one script by nonce; styles, images and fonts only from the webview's own source. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The page: no inline script, a nonce on our one script, nothing from the network. */
export function webviewPage(p: { cspSource: string; nonce: string; scriptUri: string; styleUri: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.cspSource, p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${p.styleUri}">
<title>traindx</title>
</head>
<body>
<div id="app" aria-live="polite"></div>
<script nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}
