import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { imprint } from '../helpers/cli.js';
import { epubEntries } from '../helpers/epub.js';
import { pdfText, temporaryFolder } from '../helpers/tools.js';

/**
 * A manuscript cannot make a build contact a server, run a script, or embed a
 * file from outside its project: proved against a real HTTP server on
 * loopback that counts every connection, through the real Chromium.
 */
let server: Server;
let origin: string;
let connections = 0;
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('SERVED FROM LOOPBACK');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The server does answer whoever asks: a count of zero below means nobody asked.
  expect(await (await fetch(`${origin}/control`)).text()).toBe('SERVED FROM LOOPBACK');
  expect(requests).toEqual(['/control']);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  connections = 0;
  requests = [];
});

/** Every way a page can ask for something, pointed at the server (and at a file outside any project). */
const everyRequest = (o: string) => `
<link rel="stylesheet" href="${o}/link.css"><link rel="preconnect" href="${o}"><link rel="dns-prefetch" href="${o}">
<link rel="prefetch" href="${o}/prefetch"><link rel="preload" as="image" href="${o}/preload.png"><link rel="icon" href="${o}/favicon.ico">
<meta http-equiv="refresh" content="0; url=${o}/refresh">
<style>@import url(${o}/import.css); @font-face { font-family: X; src: url(${o}/font.woff2); } p { font-family: X; }
body { background-image: url(${o}/background.png); }</style>
<p style="background: url(${o}/style-attribute.png)">Text in X.</p>
<img src="${o}/img.png" alt=""><img srcset="${o}/srcset.png 2x" alt=""><picture><source srcset="${o}/source.png"><img src="${o}/picture.png" alt=""></picture>
<iframe src="${o}/iframe"></iframe><object data="${o}/object"></object><embed src="${o}/embed">
<video src="${o}/video.mp4" poster="${o}/poster.png"></video><audio src="${o}/audio.mp3"></audio>
<svg width="20" height="20"><image href="${o}/svg-image.png" width="20" height="20"/><use href="${o}/use.svg#a"/></svg>
<a href="${o}/link" ping="${o}/ping">a link</a>
<form action="${o}/form"><input type="image" src="${o}/input.png"></form>
<script src="${o}/script.js"></script>
<script>document.body.insertAdjacentHTML('beforeend', '<p>SCRIPT RAN</p>'); fetch('${o}/fetch'); new Image().src = '${o}/js-image';</script>
<img src="x" onerror="document.body.insertAdjacentHTML('beforeend', '<p>HANDLER RAN</p>')" alt="">
<iframe src="javascript:parent.document.body.insertAdjacentHTML('beforeend','<p>URL RAN</p>')"></iframe>
<iframe src="file:///etc/passwd"></iframe><img src="file:///etc/passwd" alt=""><embed src="file:///etc/hostname">
`;

/**
 * What an EPUB packages: every manifest item a file inside the container, none
 * remote, nothing in the container that the manifest does not list (but the
 * container's own files), and none marked as a remote resource.
 */
async function packagedOnlyWhatIsListed(epub: Uint8Array): Promise<Map<string, string>> {
  const entries = await epubEntries(epub);
  const text = new Map([...entries].map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));
  const [opfName, opf] = [...text].find(([name]) => name.endsWith('.opf'))!;
  const base = opfName.replace(/[^/]*$/, '');
  const items = [...opf.matchAll(/<item\b[^>]*>/g)].map((match) => ({
    href: /href="([^"]+)"/.exec(match[0])![1]!,
    properties: /properties="([^"]*)"/.exec(match[0])?.[1] ?? '',
  }));
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    expect(item.href).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/|(^|\/)\.\.(\/|$)/i);
    expect(item.properties).not.toContain('remote-resources');
    expect(entries.has(base + decodeURIComponent(item.href)), item.href).toBe(true);
  }
  const listed = new Set([
    opfName,
    'mimetype',
    'META-INF/container.xml',
    ...items.map((item) => base + decodeURIComponent(item.href)),
  ]);
  expect([...entries.keys()].filter((name) => !listed.has(name) && !name.endsWith('/'))).toEqual([]);
  return text;
}

describe('the browser', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await BrowserSession.open({ wsEndpoint: inject('browserWSEndpoint') });
  });
  afterAll(() => session.close());

  it('loads the assets it is given, and nothing else, whatever the HTML asks', async () => {
    const html = `<!doctype html><html><head><title>t</title><link rel="stylesheet" href="/given.css"></head>
<body><p class="given">The page itself.</p>${everyRequest(origin)}
<link rel="stylesheet" href="../../../../etc/passwd"><link rel="stylesheet" href="/../../etc/passwd"><img src="../../../etc/hostname" alt=""><link rel="stylesheet" href="/%ZZ%E0%A4%A.css"><img src="/%ud800.png" alt="">
<link rel="stylesheet" href="file:///etc/passwd"><object data="file:///etc/passwd" type="text/plain"></object>
<a href="javascript:document.body.insertAdjacentHTML('beforeend','<p>HREF RAN</p>')">a script link</a>
<meta http-equiv="refresh" content="0; url=javascript:document.body.insertAdjacentHTML('beforeend','<p>REFRESH RAN</p>')">
<svg width="20" height="20"><image href="file:///etc/passwd" width="20" height="20"/></svg>
<img src="data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="${origin}/inside-data-svg.png" width="10" height="10"/><style>@import url(${origin}/inside-data-svg.css);</style></svg>`)}" alt="">
</body></html>`;
    const pdf = await session.printPdf({
      html,
      assets: new Map([
        ['/given.css', { body: 'p.given::after { content: " And the given style sheet."; }', contentType: 'text/css' }],
      ]),
    });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('The page itself. And the given style sheet.');
    expect(text).not.toMatch(/RAN|SERVED FROM LOOPBACK|root:|daemon:/);
    expect(requests).toEqual([]);
    expect(connections).toBe(0);
  });

  it('runs no script, however it is written: the text is what the HTML says', async () => {
    const original = 'The text as written.';
    const html = `<!doctype html><html><head><title>t</title>
<script>document.addEventListener('DOMContentLoaded', () => { document.getElementById('t').textContent = 'CHANGED BY A SCRIPT'; });</script>
<script type="module">document.getElementById('t').textContent = 'CHANGED BY A MODULE';</script>
<script src="data:text/javascript,document.getElementById('t').textContent='CHANGED BY A DATA SCRIPT'"></script>
</head><body onload="document.getElementById('t').textContent = 'CHANGED BY ONLOAD'">
<p id="t">${original}</p>
<script>document.getElementById('t').textContent = 'CHANGED INLINE';</script>
<img src="data:," onerror="document.getElementById('t').textContent = 'CHANGED BY ONERROR'" alt="">
<svg width="10" height="10" onload="document.getElementById('t').textContent = " +
  "'CHANGED BY SVG'"><rect width="5" height="5"/></svg>
<iframe src="javascript:parent.document.getElementById('t').textContent = 'CHANGED BY A FRAME'"></iframe>
<iframe srcdoc="<script>parent.document.getElementById('t').textContent = 'CHANGED BY SRCDOC'</script>"></iframe>
<object data="data:text/html,<script>parent.document.getElementById('t').textContent='CHANGED BY " +
  "OBJECT'</script>"></object>
<details open ontoggle="document.getElementById('t').textContent = 'CHANGED BY TOGGLE'"><summary>s</summary></details>
<input autofocus onfocus="document.getElementById('t').textContent = 'CHANGED BY FOCUS'">
</body></html>`;
    const text = (await pdfText(await session.printPdf({ html, assets: new Map() }))).replace(/\s+/g, ' ');
    expect(text).toContain(original);
    expect(text).not.toContain('CHANGED');
  });

  it(
    'loads nothing but the page and its assets, runs no script, and reads no file, whatever the ' + 'HTML asks',
    async () => {
      const html =
        `<!doctype html><html><head><title>t</title></head><body><p>The page ` +
        `itself.</p>${everyRequest(origin)}</body></html>`;
      const pdf = await session.printPdf({ html, assets: new Map() });
      const text = await pdfText(pdf);
      expect(text).toContain('The page itself.');
      expect(text).not.toMatch(/SCRIPT RAN|HANDLER RAN|URL RAN|SERVED FROM LOOPBACK|root:/);
      expect(requests).toEqual([]);
      expect(connections).toBe(0);
    },
  );
});

describe('a build', () => {
  it('never contacts a server a manuscript names, runs none of its scripts, and warns at each line', async () => {
    const project = await temporaryFolder();
    const manuscript = path.join(project, 'report.md');
    await writeFile(
      manuscript,
      // Every way but images (a remote or outside image is an error, tested below).
      `---\ntitle: A report that tries\nauthor: A. Writer\nlang: en-GB\n---\n\n# Tries\n\nA ` +
        `[link](${origin}/markdown-link) is only a link.\n\n` +
        `<p onclick="alert(1)">Clicked.</p>\n\n${everyRequest(origin)
          .split('\n')
          .filter((line) => !line.includes('<img'))
          .join('\n')}\n`,
    );
    const out = path.join(project, 'out');
    const result = await imprint([
      'build',
      manuscript,
      '--out',
      out,
      '--browser-ws-endpoint',
      inject('browserWSEndpoint'),
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /report\.md:\d+:\d+(-\d+:\d+)?\s+warning\s+Dropped `<script>`: a manuscript cannot run scripts\s+html-unsafe/,
    );
    expect(result.stderr).toMatch(/warning\s+Dropped `<iframe>`/);
    expect(result.stderr).toMatch(/warning\s+Removed `onclick` from `<p>`/);
    const text = await pdfText(new Uint8Array(await readFile(path.join(out, 'report.pdf'))));
    expect(text).toContain('is only a link');
    expect(text).not.toMatch(/SCRIPT RAN|HANDLER RAN|URL RAN|SERVED FROM LOOPBACK/);
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|onerror=|<iframe|<object|<embed|<link rel="stylesheet" href="http|@import/);
    const entries = await epubEntries(await readFile(path.join(out, 'report.epub')));
    const xhtml = [...entries.entries()]
      .filter(([name]) => name.endsWith('.xhtml'))
      .map(([, bytes]) => new TextDecoder().decode(bytes))
      .join('\n');
    expect(xhtml).not.toMatch(/<script|onerror=|<iframe|127\.0\.0\.1:\d+\/(?!markdown-link|link")/); // links stay links
    const packaged = await packagedOnlyWhatIsListed(await readFile(path.join(out, 'report.epub')));
    expect([...packaged.values()].join('\n')).not.toMatch(
      /SERVED FROM LOOPBACK|127\.0\.0\.1:\d+\/(?!markdown-link|link")/,
    );
    expect(requests).toEqual([]);
    expect(connections).toBe(0);
  });

  it(
    'refuses a remote image unless remote images are allowed, and then imprint fetches it, not ' + 'the browser',
    async () => {
      const project = await temporaryFolder();
      const manuscript = path.join(project, 'report.md');
      await writeFile(
        manuscript,
        `---\ntitle: Remote\nauthor: A. Writer\nlang: en-GB\n---\n\n# Remote\n\n![A remote ` +
          `picture](${origin}/picture.png)\n`,
      );
      const out = path.join(project, 'out');
      const refused = await imprint([
        'build',
        manuscript,
        '--out',
        out,
        '--browser-ws-endpoint',
        inject('browserWSEndpoint'),
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /report\.md:9:1-9:\d+\s+error\s+Image `http:\/\/127\.0\.0\.1:\d+\/picture\.png` is remote.*--allow-remote\)\s+image-remote/,
      );
      expect(requests).toEqual([]);
      expect(connections).toBe(0);
      // Allowed: the server answers text, not an image, so it is fetched once and reported as not an image.
      const allowed = await imprint([
        'build',
        manuscript,
        '--out',
        out,
        '--allow-remote',
        '--browser-ws-endpoint',
        inject('browserWSEndpoint'),
      ]);
      expect(allowed.code).toBe(1);
      expect(allowed.stderr).toContain('is not a PNG, JPEG, GIF or SVG image');
      expect(requests).toEqual(['/picture.png']);
    },
  );

  it('embeds no file from outside the project: not by path, not by file: URL, not through a link', async () => {
    const dir = await temporaryFolder();
    const project = path.join(dir, 'project');
    await mkdir(project);
    await writeFile(
      path.join(dir, 'secret.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><text y="20">TOP SECRET</text></svg>',
    );
    await writeFile(path.join(dir, 'secret.csv'), 'name\nTOP SECRET\n');
    await symlink(path.join(dir, 'secret.svg'), path.join(project, 'linked.svg'));
    await symlink(path.join(dir, 'secret.csv'), path.join(project, 'linked.csv'));
    const manuscript = path.join(project, 'report.md');
    await writeFile(
      manuscript,
      [
        '---\ntitle: Outside\nauthor: A. Writer\nlang: en-GB\n---\n\n# Outside\n',
        '![By path](../secret.svg)\n',
        '![By URL](file:///etc/passwd)\n',
        '![Through a link](linked.svg)\n',
        '<img src="/etc/passwd" alt="absolute">\n',
        '::table[By path]{#tbl-path src="../secret.csv"}\n',
        '::table[Through a link]{#tbl-link src="linked.csv"}\n',
      ].join('\n'),
    );
    const out = path.join(project, 'out');
    const result = await imprint([
      'build',
      manuscript,
      '--out',
      out,
      '--json',
      '--browser-ws-endpoint',
      inject('browserWSEndpoint'),
    ]);
    expect(result.code).toBe(1);
    const { messages } = JSON.parse(result.stdout) as { messages: Array<{ line: number; ruleId: string }> };
    expect(
      messages.map((message) => [message.line, message.ruleId]).sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [9, 'image-outside-project'],
      // A `file:` URL is no URL an edition may hold: the sanitizer removes it, and the image has no source.
      [11, 'html-unsafe'],
      [11, 'image-missing'],
      [13, 'image-outside-project'],
      [15, 'image-outside-project'],
      [17, 'data-outside-project'],
      [19, 'data-outside-project'],
    ]);
    expect(JSON.stringify(messages)).not.toContain('TOP SECRET');
  });

  it(
    'never contacts a server from images either: raw, responsive, in SVG or in Markdown, each ' + 'refused at its line',
    async () => {
      const project = await temporaryFolder();
      const manuscript = path.join(project, 'report.md');
      await writeFile(
        manuscript,
        `---\ntitle: Images that try\nauthor: A. Writer\nlang: en-GB\n---\n\n# ` +
          `Tries\n\n![Markdown](${origin}/markdown.png)\n\n![Reference][r]\n\n[r]: ${origin}/reference.png\n\n` +
          `<img src="${origin}/raw.png" alt="raw"> <img ` +
          `src="//127.0.0.1:${new URL(origin).port}/scheme-relative.png" ` +
          `alt="scheme-relative">\n\n${everyRequest(origin)}\n`,
      );
      const out = path.join(project, 'out');
      const result = await imprint([
        'build',
        manuscript,
        '--out',
        out,
        '--browser-ws-endpoint',
        inject('browserWSEndpoint'),
      ]);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /report\.md:9:1-9:\d+\s+error\s+Image `http:\/\/127\.0\.0\.1:\d+\/markdown\.png` is remote/,
      );
      expect(result.stderr).toMatch(/error\s+Image `http:\/\/127\.0\.0\.1:\d+\/raw\.png` is remote/);
      expect(requests).toEqual([]);
      expect(connections).toBe(0);
    },
  );

  it(
    'embeds no outside file that raw HTML names in ways that are not images: the build succeeds and ' +
      'no edition holds it',
    async () => {
      const dir = await temporaryFolder();
      const project = path.join(dir, 'project');
      await mkdir(project);
      await writeFile(path.join(dir, 'secret.css'), 'body::after { content: "TOP SECRET STYLE"; }');
      await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET TEXT');
      await writeFile(
        path.join(dir, 'secret.svg'),
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text y="20">TOP SECRET DRAWING</text></svg>',
      );
      await symlink(path.join(dir, 'secret.css'), path.join(project, 'linked.css'));
      await symlink(path.join(dir, 'secret.txt'), path.join(project, 'linked.txt'));
      const manuscript = path.join(project, 'report.md');
      await writeFile(
        manuscript,
        [
          '---\ntitle: Outside again\nauthor: A. Writer\nlang: en-GB\n---\n\n# Outside again\n',
          'The report itself.\n',
          '<link rel="stylesheet" href="../secret.css"><link rel="stylesheet" href="linked.css"><link ' +
            'rel="stylesheet" href="file:///etc/passwd">\n',
          '<style>@import "../secret.css"; @import url(linked.css); @font-face { font-family: S; src: ' +
            'url(file:///etc/passwd); }</style>\n',
          '<p style="background: url(../secret.svg)">Styled.</p>\n',
          '<object data="../secret.txt" type="text/plain"></object><object data="linked.txt" ' +
            'type="text/plain"></object><iframe src="file:///etc/passwd"></iframe>\n',
          '<svg width="200" height="40"><image href="../secret.svg" width="200" height="40"/><image ' +
            'href="file:///etc/passwd" width="10" height="10"/></svg>\n',
          '[A link to a file outside](../secret.txt) and [another](file:///etc/passwd) stay links.\n',
        ].join('\n'),
      );
      const out = path.join(project, 'out');
      const result = await imprint([
        'build',
        manuscript,
        '--out',
        out,
        '--browser-ws-endpoint',
        inject('browserWSEndpoint'),
      ]);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.code).toBe(0);
      const secret = /TOP SECRET|root:x?:?0|daemon:/;
      const text = await pdfText(new Uint8Array(await readFile(path.join(out, 'report.pdf'))));
      expect(text).toContain('The report itself.');
      expect(text).not.toMatch(secret);
      expect(await readFile(path.join(out, 'report.html'), 'utf8')).not.toMatch(secret);
      const packaged = await packagedOnlyWhatIsListed(await readFile(path.join(out, 'report.epub')));
      expect([...packaged.values()].join('\n')).not.toMatch(secret);
      expect(requests).toEqual([]);
    },
  );
});
