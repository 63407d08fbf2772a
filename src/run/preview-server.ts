import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PreviewServer {
  /** Where the page is served: `http://127.0.0.1:PORT/`. */
  url: string;
  /** Serve this page from now on, and tell every open page to reload. */
  show(html: string): void;
  /** Put the problems of a failed build over the last good page (or alone), and reload. */
  showProblems(text: string): void;
  close(): Promise<void>;
}

const eventsPath = '/__imprint/events';

/**
 * The preview server: the HTML edition at `/`, and a stream of server-sent
 * events that tells the page to reload. The page is the edition with one
 * small script added (never in the built edition); it is self-contained
 * (fonts and images inlined), so nothing else is served: every other path is
 * a 404, whatever it names, so no file can be read through the server.
 */
export async function startPreviewServer(options: { host?: string; port?: number } = {}): Promise<PreviewServer> {
  let page = waitingPage();
  let problems: string | undefined;
  const streams = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    // A page on another site can point its own name at this address (DNS rebinding): only local names are answered.
    if (!hostAllowed(request.headers.host, options.host)) {
      response
        .writeHead(421, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Misdirected request: the preview answers only localhost\n');
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://preview.invalid').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === eventsPath) {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      const body = withReload(page, problems);
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    response
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end('Not found: the preview serves only the report at /\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const reload = () => {
    for (const stream of streams) stream.write('data: reload\n\n');
  };
  return {
    url: `http://${host}:${address.port}/`,
    show(html) {
      page = html;
      problems = undefined;
      reload();
    },
    showProblems(text) {
      problems = text;
      reload();
    },
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Names the preview answers to: the loopback names (with any port), and the host it was told to listen on. */
export function hostAllowed(header: string | undefined, listening: string | undefined): boolean {
  if (header === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(header.trim().toLowerCase());
  if (!match) return false;
  const name = match[1]!;
  if (name === 'localhost' || name === '127.0.0.1' || name === '[::1]') return true;
  if (listening === undefined || ['0.0.0.0', '::', '[::]'].includes(listening)) return false;
  const wanted = listening.includes(':') && !listening.startsWith('[') ? `[${listening}]` : listening;
  return name === wanted.toLowerCase();
}

/**
 * The page's policy in the preview: the edition's (no remote loads), with
 * the one reload script, by its nonce, and its event stream allowed.
 */
function previewPolicy(nonce: string): string {
  return (
    `default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; script-src 'nonce-${nonce}'; ` +
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
  );
}

const policyMeta = /<meta http-equiv="content-security-policy" content="[^"]*">/i;

function withReload(edition: string, problems: string | undefined): string {
  const nonce = randomBytes(16).toString('base64');
  const policy = `<meta http-equiv="content-security-policy" content="${previewPolicy(nonce)}">`;
  const html = policyMeta.test(edition) ? edition.replace(policyMeta, policy) : edition;
  const script =
    `<script nonce="${nonce}">new EventSource(${JSON.stringify(eventsPath)}).onmessage ` +
    `= () => location.reload();</script>`;
  const overlay =
    problems === undefined
      ? ''
      : '<pre id="imprint-problems" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;' +
        'padding:1em;background:#fff4f4;color:#600;border-top:3px solid #a00;font:12px/1.4 monospace;' +
        `white-space:pre-wrap;z-index:2147483647">${escapeHtml(problems)}</pre>`;
  const insert = `${overlay}${script}`;
  return html.includes('</body>')
    ? html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${insert}</body>`)
    : `${html}${insert}`;
}

function waitingPage(): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>imprint ' +
    'preview</title></head><body><p>Building…</p></body></html>'
  );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!,
  );
}
