import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pauseVariable } from '../../src/release/write-editions.js';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import { sha256sumCheck } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * A report's editions, manifest.json and SHA256SUMS are replaced as one set:
 * a build killed between two renames leaves a journal the next build completes
 * (whatever that build's outcome), and a second build into a locked folder is
 * refused with the holder's name. HTML only: no browser is needed for any of it.
 */

const text = (word: string) => `---\ntitle: Set\nauthor: A. Writer\n---\n\n# Set\n\nThe ${word} paragraph.\n`;

async function project(): Promise<{ manuscript: string; out: string }> {
  const dir = await temporaryFolder();
  await mkdir(path.join(dir, 'manuscript'));
  const manuscript = path.join(dir, 'manuscript/report.md');
  await writeFile(manuscript, text('first'));
  return { manuscript, out: path.join(dir, 'out') };
}

/** Start a build that stops after moving in its first file, holding the folder's lock; resolves once it says so. */
async function pausedBuild(manuscript: string, out: string) {
  const child = spawn(
    process.execPath,
    [path.join(repositoryRoot, 'bin/imprint.js'), 'build', '--no-config', manuscript, '--out', out, '--format', 'html'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [pauseVariable]: 'first-rename' },
    },
  );
  let stderr = '';
  let writer = 0;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => resolve(signal ? null : code)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const said = /^paused after moving in .*report\.html \(process (\d+)\)$/m.exec(stderr);
      if (said) {
        writer = Number(said[1]);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`The build ended before it paused:\n${stderr}`)));
  });
  /**
   * Kill the build as a power cut would: the process that writes the set (the command's own, which the supervisor
   * started) first, then the supervisor. Killed alone, either one would see the other end and complete the set
   * itself, as it should; SIGKILL stops a process at once, and the writer is stopped before its supervisor dies.
   */
  const killAll = () => {
    process.kill(writer, 'SIGKILL');
    child.kill('SIGKILL');
  };
  return { child, exited, killAll };
}

const build = (manuscript: string, out: string) =>
  imprint(['build', '--no-config', manuscript, '--out', out, '--format', 'html', '--quiet']);

describe('a set written as one', () => {
  it('a build killed after moving in its first file is completed by the next build, even one that fails', async () => {
    const { manuscript, out } = await project();
    expect(await build(manuscript, out)).toMatchObject({ code: 0, stderr: '' });
    expect((await sha256sumCheck(out)).code).toBe(0);

    await writeFile(manuscript, text('second'));
    const paused = await pausedBuild(manuscript, out);
    paused.killAll();
    expect(await paused.exited).toBe(null);
    // Killed between two renames: the new HTML beside the old checksums, the rest staged, a journal saying so.
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('second paragraph');
    expect((await sha256sumCheck(out)).code).not.toBe(0);
    expect((await readdir(out)).filter((name) => name.startsWith('.')).sort()).toEqual([
      '.imprint-journal.json',
      '.imprint-lock',
      expect.stringMatching(/^\.imprint-staging-/),
    ]);

    // The next build has a problem in its input and writes nothing of its own, but first completes the set.
    await writeFile(manuscript, `${text('third')}\n::unknown-directive\n`);
    const failed = await build(manuscript, out);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/directive-unknown/);
    expect(await sha256sumCheck(out)).toMatchObject({ code: 0 });
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'report.html']);
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('second paragraph');
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as { reports: unknown[] };
    expect(manifest.reports).toHaveLength(1);

    // And a good build after it replaces the set again.
    await writeFile(manuscript, text('fourth'));
    expect(await build(manuscript, out)).toMatchObject({ code: 0, stderr: '' });
    expect(await sha256sumCheck(out)).toMatchObject({ code: 0 });
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'report.html']);
  });

  it('a second build into a folder another build is writing fails at once, naming that build', async () => {
    const { manuscript, out } = await project();
    const paused = await pausedBuild(manuscript, out);
    try {
      const second = await build(manuscript, out);
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(
        `imprint: Another imprint build is writing into ${out}: \`imprint build --no-config ` +
          `${manuscript} --out ${out} --format html\` ` +
          `(process ${paused.child.pid} on ${(await import('node:os')).hostname()}, since ` +
          `${second.stderr.match(/since (\S+)\)/)?.[1]}); ` +
          'wait for it to end, or stop it (a lock left by a build that is no longer running is removed by itself)\n',
      );
    } finally {
      paused.killAll();
      await paused.exited;
    }
    // Its holder gone, the lock is taken over and the set completed.
    expect(await build(manuscript, out)).toMatchObject({ code: 0, stderr: '' });
    expect(await sha256sumCheck(out)).toMatchObject({ code: 0 });
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'report.html']);
  });
});
