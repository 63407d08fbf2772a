/**
 * How the cost of one paragraph grows with its length: builds a manuscript of one 100 KB paragraph and one of a
 * 1 MB paragraph, each edition on its own, in this process with one Chromium, and prints each stage's time.
 * `npx tsx bench/long-paragraph.ts [runs]`. Not a test: a loaded machine changes the numbers, not their ratio.
 */
import { build, memoryReader, startBrowser } from '../src/api.js';

const runs = Number(process.argv[2] ?? 1);
const front = '---\ntitle: A long paragraph\nauthor: A. Writer\nlang: en-GB\n---\n\n# One\n\n';
const paragraph = (bytes: number) => {
  const words: string[] = [];
  let length = 0;
  for (let index = 0; length < bytes; index++) {
    const word = `word${index % 97} consideration`;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
};

const browser = await startBrowser();
try {
  for (let run = 0; run < runs; run++) {
    for (const size of [100_000, 1_000_000]) {
      for (const format of ['html', 'pdf', 'epub'] as const) {
        const stages: Record<string, number> = {};
        const started = performance.now();
        const result = await build({
          manuscripts: ['/p/report.md'],
          config: false,
          formats: [format],
          write: false,
          cwd: '/p',
          reader: memoryReader({ '/p/report.md': `${front}${paragraph(size)}\n` }),
          warmBrowser: browser,
          onProgress: (event) => {
            if (event.kind === 'stage') stages[event.stage] = Math.round(event.ms);
          },
        });
        const ms = Math.round(performance.now() - started);
        console.log(JSON.stringify({ size, format, ok: result.ok, ms, stages }));
      }
    }
  }
} finally {
  await browser.close();
}
