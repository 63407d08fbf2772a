import { link, mkdir, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { resolveImages } from '../../src/compile/images.js';
import { diskReader, fetchCapped, readInProject } from '../../src/compile/resources.js';
import { hostAllowed, startPreviewServer } from '../../src/run/preview-server.js';
import { temporaryFolder } from '../helpers/tools.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** A GET with the Host header given. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/', method: 'GET', headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the preview', () => {
  it('answers only local Host names, so a rebound DNS name cannot read the report', async () => {
    const server = await startPreviewServer();
    try {
      server.show(
        '<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src ' +
          "'none'\"></head><body><p>Secret report</p></body></html>",
      );
      const port = new URL(server.url).port;
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
        const answer = await getWithHost(server.url, host);
        expect(answer.status, host).toBe(200);
        expect(answer.body).toContain('Secret report');
      }
      for (const host of [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1.evil.example:${port}`,
        `localhost.evil.example`,
      ]) {
        const answer = await getWithHost(server.url, host);
        expect(answer.status, host).toBe(421);
        expect(answer.body).not.toContain('Secret report');
      }
    } finally {
      await server.close();
    }
  });

  it("lets only its own reload script run, by a nonce in the page's policy", async () => {
    const server = await startPreviewServer();
    try {
      server.show(
        '<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src ' +
          "'none'\"></head><body></body></html>",
      );
      const { body } = await getWithHost(server.url, `127.0.0.1:${new URL(server.url).port}`);
      const nonce = /script-src 'nonce-([^']+)'/.exec(body)?.[1];
      expect(nonce).toBeDefined();
      expect(body).toContain(`<script nonce="${nonce}">`);
      expect(body.match(/http-equiv="content-security-policy"/g)).toHaveLength(1);
      expect(body).toContain("connect-src 'self'");
    } finally {
      await server.close();
    }
  });

  it('knows which names are local', () => {
    expect(hostAllowed('localhost:4000', undefined)).toBe(true);
    expect(hostAllowed('[::1]', undefined)).toBe(true);
    expect(hostAllowed(undefined, undefined)).toBe(false);
    expect(hostAllowed('192.168.1.5:4000', undefined)).toBe(false);
    expect(hostAllowed('192.168.1.5:4000', '192.168.1.5')).toBe(true);
    expect(hostAllowed('evil.example:4000', '0.0.0.0')).toBe(false);
  });
});

describe('reading what a manuscript names', () => {
  it('stops reading a remote body at the cap, and closes the connection, whatever its length says', async () => {
    let sent = 0;
    let closed: () => void = () => undefined;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = createServer((_request, response) => {
      // No Content-Length, and a body that never ends.
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) sent += chunk.length;
      };
      response.on('drain', pump);
      response.on('close', () => closed());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/endless`);
      await expect(fetchCapped(url, 1024 * 1024, 60_000)).rejects.toThrow('larger than 1 MiB');
      await connectionClosed;
      // Read as it streamed, not whole first: the server could send little more than the cap and its buffers.
      expect(sent).toBeLessThan(32 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a file with several hard links as if it were a link leading out of the project', async () => {
    const dir = await temporaryFolder();
    const project = path.join(dir, 'project');
    await mkdir(project);
    await writeFile(path.join(dir, 'secret.png'), png);
    await link(path.join(dir, 'secret.png'), path.join(project, 'innocent.png'));
    await writeFile(path.join(project, 'fine.png'), png);
    const refused = await readInProject(diskReader, project, path.join(project, 'innocent.png'));
    expect(refused).toEqual({ refused: expect.stringContaining('has 2 hard links') });
    const file = new VFile({ path: path.join(project, 'report.md') });
    const tree = {
      type: 'root' as const,
      children: ['innocent.png', 'fine.png'].map((src) => ({
        type: 'element' as const,
        tagName: 'img',
        properties: { src },
        children: [],
        position: { start: { line: 3, column: 1 }, end: { line: 3, column: 20 } },
      })),
    };
    const images = await resolveImages(tree, file, { projectRoot: project, reader: diskReader });
    expect([...images.keys()]).toEqual(['fine.png']);
    expect(file.messages.map((message) => [message.ruleId, message.line, message.column])).toEqual([
      ['image-outside-project', 3, 1],
    ]);
  });
});
