import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The port on 127.0.0.1 where the run's epubcheck (Epubcheck.java) takes EPUBs to check. */
    epubcheckPort: number;
  }
}

/**
 * Start one epubcheck for the whole run: its start (the JVM, the compile of Epubcheck.java, epubcheck's schemas)
 * is some 10 s of CPU each time, its check of an EPUB a fraction of a second. It ends with the run, or with its
 * standard input if the run is killed.
 */
export default async function setup(project: TestProject) {
  const child = spawn(
    'java',
    ['-cp', '/usr/share/java/epubcheck.jar', path.resolve(import.meta.dirname, 'Epubcheck.java')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let said = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      said += chunk;
      const found = /^port (\d+)$/m.exec(said);
      if (found) resolve(Number(found[1]));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`epubcheck's server exited (${code}) before it listened:\n${said}`)));
  });
  child.stdout.resume();
  project.provide('epubcheckPort', port);
  return async () => {
    const ended = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await ended;
  };
}
