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
    const pathname = new URL(request.url ?? '/', 'http://preview.invalid').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === eventsPath) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      const body = withReload(page, problems);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the preview serves only the report at /\n');
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

function withReload(html: string, problems: string | undefined): string {
  const script = `<script>new EventSource(${JSON.stringify(eventsPath)}).onmessage = () => location.reload();</script>`;
  const overlay = problems === undefined
    ? ''
    : `<pre id="imprint-problems" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1em;background:#fff4f4;color:#600;border-top:3px solid #a00;font:12px/1.4 monospace;white-space:pre-wrap;z-index:2147483647">${escapeHtml(problems)}</pre>`;
  const insert = `${overlay}${script}`;
  return html.includes('</body>') ? html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${insert}</body>`) : `${html}${insert}`;
}

function waitingPage(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>imprint preview</title></head><body><p>Building…</p></body></html>';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
}
