import { spawn } from 'node:child_process';
import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/tools.js';

const bin = path.join(repositoryRoot, 'bin/imprint.js');
let stopAll: Array<() => void> = [];
afterEach(() => {
  for (const stop of stopAll) stop();
  stopAll = [];
});

/** A GET with the path sent exactly as written (no normalising of `..`). */
function get(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The reload stream: resolves `next()` with each event's data. */
function events(url: string) {
  const received: string[] = [];
  const { hostname, port } = new URL(url);
  const req = request({ hostname, port, path: '/__imprint/events', method: 'GET' }, (response) => {
    response.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('data: ')) received.push(line.slice(6));
    });
  });
  req.end();
  stopAll.push(() => req.destroy());
  return {
    async next(timeoutMs = 5 * 60_000): Promise<string> {
      const count = received.length;
      const started = Date.now();
      while (received.length === count) {
        if (Date.now() - started > timeoutMs) throw new Error('no reload event');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received[count]!;
    },
  };
}

describe('imprint preview', () => {
  it(
    'serves the HTML edition on localhost, reloads it on save, shows problems over it, and ' + 'serves no file',
    async () => {
      const dir = await temporaryFolder();
      await cp(path.join(repositoryRoot, 'manuscript'), dir, { recursive: true });
      const manuscript = path.join(dir, 'report.md');
      const child = spawn(process.execPath, [bin, 'preview', manuscript, '--port', '0'], { cwd: dir });
      stopAll.push(() => child.kill('SIGKILL'));
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const started = Date.now();
      while (!/ at (http:\/\/127\.0\.0\.1:\d+\/)/.test(output)) {
        if (Date.now() - started > 60_000) throw new Error(output);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const url = / at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)![1]!;

      const first = await get(url, '/');
      expect(first.status).toBe(200);
      expect(first.body).toContain('Defrosting Sino-Japanese Relations: What Now?');
      expect(first.body).toContain('new EventSource("/__imprint/events")');
      // The script is the preview's, never the edition's.
      expect(first.body.match(/<script/g)).toHaveLength(1);

      const stream = events(url);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writeFile(
        manuscript,
        (await readFile(manuscript, 'utf8')).replaceAll(
          'The recent commitment to dialogue',
          'The renewed commitment to dialogue',
        ),
      );
      expect(await stream.next()).toBe('reload');
      expect((await get(url, '/')).body).toContain('The renewed commitment to dialogue');

      // Saved by renaming a new file over it (vim, sed -i), twice: each save reloads.
      for (const word of ['steady', 'patient']) {
        const temporary = path.join(dir, `sed${word}`);
        await writeFile(
          temporary,
          (await readFile(manuscript, 'utf8')).replace(
            /The (renewed|steady) commitment to dialogue/g,
            `The ${word} commitment to dialogue`,
          ),
        );
        await rename(temporary, manuscript);
        expect(await stream.next()).toBe('reload');
        expect((await get(url, '/')).body).toContain(`The ${word} commitment to dialogue`);
      }

      await writeFile(
        manuscript,
        (await readFile(manuscript, 'utf8')).replace('# Synopsis', '# Synopsis\n\n::diagram{src="x"}'),
      );
      expect(await stream.next()).toBe('reload');
      const broken = (await get(url, '/')).body;
      expect(broken).toContain('id="imprint-problems"');
      expect(broken).toMatch(/Unknown directive `::diagram`\s+directive-unknown/);
      expect(broken).toContain('The patient commitment to dialogue');

      for (const attempt of [
        '/../../../../etc/passwd',
        '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        '/..%2f..%2f..%2fetc%2fpasswd',
        '/report.md',
        '/data/pledges.yaml',
        '//etc/passwd',
        '/%252e%252e/%252e%252e/etc/passwd',
        '/..\\..\\..\\etc\\passwd',
        '/fonts/../../../../etc/passwd',
        '/index.html/../../../etc/passwd',
      ]) {
        const response = await get(url, attempt);
        expect(response.status, attempt).toBe(404);
        expect(response.body).not.toMatch(/root:|amount_usd_bn|title:/);
      }

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  );
});
