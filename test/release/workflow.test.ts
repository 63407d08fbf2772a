import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { validateWorkflow } from '@action-validator/core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { buildUsage } from '../../src/cli/commands/build.js';
import { manifestUsage } from '../../src/cli/commands/manifest.js';
import type { Manifest } from '../../src/release/manifest.js';
import { repositoryRoot } from '../helpers/cli.js';
import { sha256sumCheck } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

const run = promisify(execFile);
const workflowPath = path.join(repositoryRoot, '.github/workflows/release.yml');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  'working-directory'?: string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  container?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { shard: number[] } };
  steps: Step[];
}
interface Workflow {
  on: { push: { tags: string[]; branches: string[] }; pull_request: unknown };
  jobs: Record<string, Job>;
}

let text: string;
let workflow: Workflow;

beforeAll(async () => {
  text = await readFile(workflowPath, 'utf8');
  workflow = parse(text) as Workflow;
});

const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');
const uses = (job: Job, action: string) => job.steps.find((step) => step.uses?.startsWith(`${action}@`));

describe('the release workflow', () => {
  it('is a valid GitHub Actions workflow (against the published workflow schema)', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });

  it('runs the tests and the strict check on every push and pull request', () => {
    expect(workflow.on.push.branches).toContain('main');
    expect(workflow.on.pull_request).toBeDefined();
    const test = workflow.jobs['test']!;
    expect(test.if).toBeUndefined();
    expect(runs(test)).toContain('bash .ci/run');
    expect(runs(test)).toMatch(/imprint\.js check --strict/);
  });

  it('builds the series in a matrix of shards on tags, after the tests pass', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    const editions = workflow.jobs['editions']!;
    expect(editions.needs).toBe('test');
    expect(editions.if).toBe("startsWith(github.ref, 'refs/tags/')");
    const shards = editions.strategy!.matrix.shard;
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, index) => index + 1));
    const build = runs(editions);
    expect(build).toContain('--shard "${{ matrix.shard }}/${{ strategy.job-total }}"');
    expect(build).toContain('SOURCE_DATE_EPOCH=');
    for (const flag of build.match(/(?<=imprint\.js build.*)--[a-z-]+/g) ?? []) expect(buildUsage).toContain(flag);
    const upload = uses(editions, 'actions/upload-artifact')!;
    expect(upload.with).toMatchObject({ name: 'editions-${{ matrix.shard }}', path: 'shards/${{ matrix.shard }}/' });
    expect(build).toContain('--out "shards/${{ matrix.shard }}"');
  });

  it('merges the shards’ manifests, checks the sums and publishes them as release assets', () => {
    const release = workflow.jobs['release']!;
    expect(release.needs).toBe('editions');
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(uses(release, 'actions/download-artifact')!.with).toMatchObject({ pattern: 'editions-*', path: 'shards' });
    expect(runs(release)).toContain('imprint.js manifest merge shards/*/manifest.json --out release');
    expect(manifestUsage).toContain('--out DIR');
    const check = release.steps.find((step) => step.run?.startsWith('sha256sum -c'))!;
    expect(check['working-directory']).toBe('release');
    expect(uses(release, 'softprops/action-gh-release')!.with).toMatchObject({ files: 'release/*' });
  });

  it('works when its build and release commands run as written, shard by shard', async () => {
    // A workspace like the runner's: this checkout's code, a fresh copy of the manuscript, one commit.
    const root = await temporaryFolder('imprint-workflow-');
    const workspace = path.join(root, 'workspace');
    await mkdir(workspace);
    for (const name of ['bin', 'lib', 'node_modules', 'templates', 'package.json']) {
      await symlink(path.join(repositoryRoot, name), path.join(workspace, name));
    }
    await cp(path.join(repositoryRoot, 'manuscript'), path.join(workspace, 'manuscript'), { recursive: true });
    const env = {
      ...process.env,
      HOME: root,
      GITHUB_WORKSPACE: workspace,
      IMPRINT_BROWSER_WS_ENDPOINT: inject('browserWSEndpoint'),
      GIT_AUTHOR_DATE: '2017-07-08T00:00:00Z',
      GIT_COMMITTER_DATE: '2017-07-08T00:00:00Z',
    };
    const git = (...args: string[]) => run('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.invalid', ...args], { cwd: workspace, env });
    await git('init', '-q');
    await git('add', 'manuscript');
    await git('commit', '-q', '-m', 'manuscript');

    const editions = workflow.jobs['editions']!;
    const buildStep = editions.steps.find((step) => step.run?.includes('imprint.js build'))!.run!;
    const shards = editions.strategy!.matrix.shard;
    const artifacts = path.join(root, 'artifacts');
    for (const shard of shards) {
      const script = buildStep.replaceAll('${{ matrix.shard }}', String(shard)).replaceAll('${{ strategy.job-total }}', String(shards.length));
      await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: workspace, env });
      // upload-artifact, then download-artifact with a pattern: one folder per artifact.
      await cp(path.join(workspace, 'shards', String(shard)), path.join(artifacts, `editions-${shard}`), { recursive: true });
    }
    await cp(artifacts, path.join(workspace, 'shards-downloaded'), { recursive: true });

    const release = workflow.jobs['release']!;
    // The steps after set-up (npm ci): the merge and the checksum check.
    const commands = release.steps.filter((candidate) => candidate.run && !candidate.run.startsWith('npm '));
    expect(commands.map((step) => step.run!.split(' ').slice(0, 2).join(' '))).toEqual(['node bin/imprint.js', 'sha256sum -c']);
    for (const step of commands) {
      const script = step.run!.replaceAll('shards/*/', 'shards-downloaded/*/');
      await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: path.join(workspace, step['working-directory'] ?? ''), env });
    }
    const out = path.join(workspace, 'release');
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'report.epub', 'report.html', 'report.pdf']);
    expect((await sha256sumCheck(out)).code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.sourceDateEpoch).toBe(1_499_472_000);
    expect(manifest.built).toBe('2017-07-08T00:00:00Z');
    expect(manifest.reports.map((report) => report.manuscript.path)).toEqual(['manuscript/report.md']);
  });
});
