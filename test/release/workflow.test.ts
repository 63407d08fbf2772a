import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { validateAction, validateWorkflow } from '@action-validator/core';
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
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
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
      for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^(?:[\w.-]+\/[\w.-]+@v\d+|\.\/)$/);
    }
  });

  it('runs the tests and the strict check on every push and pull request', () => {
    expect(workflow.on.push.branches).toContain('main');
    expect(workflow.on.pull_request).toBeDefined();
    const test = workflow.jobs.test!;
    expect(test.if).toBeUndefined();
    expect(runs(test)).toContain('bash .ci/run');
    expect(runs(test)).toMatch(/imprint\.js check --strict/);
  });

  it('builds the series in a matrix of shards on tags, after the tests pass', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    const editions = workflow.jobs.editions!;
    expect(editions.needs).toBe('test');
    expect(editions.if).toBe("startsWith(github.ref, 'refs/tags/')");
    const shards = editions.strategy!.matrix.shard;
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, index) => index + 1));
    // The build is the project's own action, used as any project uses it.
    const build = editions.steps.find((step) => step.uses === './')!;
    expect(build.with).toEqual({
      out: 'shards/${{ matrix.shard }}',
      args: '--strict --shard ${{ matrix.shard }}/${{ strategy.job-total }}',
    });
    for (const flag of String(build.with!.args).match(/--[a-z-]+/g) ?? []) expect(buildUsage).toContain(flag);
    expect(runs(editions)).toContain('SOURCE_DATE_EPOCH=');
    const upload = uses(editions, 'actions/upload-artifact')!;
    expect(upload.with).toMatchObject({ name: 'editions-${{ matrix.shard }}', path: 'shards/${{ matrix.shard }}/' });
  });

  it('merges the shards’ manifests, checks the sums and publishes them as release assets', () => {
    const release = workflow.jobs.release!;
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
    const git = (...args: string[]) =>
      run('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.invalid', ...args], { cwd: workspace, env });
    await git('init', '-q');
    await git('add', 'manuscript');
    await git('commit', '-q', '-m', 'manuscript');

    const editions = workflow.jobs.editions!;
    const shards = editions.strategy!.matrix.shard;
    const artifacts = path.join(root, 'artifacts');
    for (const shard of shards) {
      const matrix = (value: string) =>
        value
          .replaceAll('${{ matrix.shard }}', String(shard))
          .replaceAll('${{ strategy.job-total }}', String(shards.length));
      // The steps before the action: they set SOURCE_DATE_EPOCH through GITHUB_ENV.
      const githubEnv = path.join(root, `env-${shard}`);
      await writeFile(githubEnv, '');
      for (const step of editions.steps.filter((candidate) => candidate.run)) {
        await run('bash', ['-euo', 'pipefail', '-c', step.run!], {
          cwd: workspace,
          env: { ...env, GITHUB_ENV: githubEnv },
        });
      }
      const stepEnv = Object.fromEntries(
        (await readFile(githubEnv, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split('=', 2) as [string, string]),
      );
      const build = editions.steps.find((step) => step.uses === './')!;
      const inputs = Object.fromEntries(
        Object.entries(build.with!).map(([name, value]) => [name, matrix(String(value))]),
      );
      const outputs = await runActionBuild(workspace, inputs, { ...env, ...stepEnv });
      expect(outputs).toEqual({ manifest: `shards/${shard}/manifest.json` });
      // upload-artifact, then download-artifact with a pattern: one folder per artifact.
      await cp(path.join(workspace, 'shards', String(shard)), path.join(artifacts, `editions-${shard}`), {
        recursive: true,
      });
    }
    await cp(artifacts, path.join(workspace, 'shards-downloaded'), { recursive: true });

    const release = workflow.jobs.release!;
    // The steps after set-up (npm ci): the merge and the checksum check.
    const commands = release.steps.filter((candidate) => candidate.run && !candidate.run.startsWith('npm '));
    expect(commands.map((step) => step.run!.split(' ').slice(0, 2).join(' '))).toEqual([
      'node bin/imprint.js',
      'sha256sum -c',
    ]);
    for (const step of commands) {
      const script = step.run!.replaceAll('shards/*/', 'shards-downloaded/*/');
      await run('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: path.join(workspace, step['working-directory'] ?? ''),
        env,
      });
    }
    const out = path.join(workspace, 'release');
    expect((await readdir(out)).sort()).toEqual([
      'SHA256SUMS',
      'manifest.json',
      'report.epub',
      'report.html',
      'report.pdf',
    ]);
    expect((await sha256sumCheck(out)).code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.sourceDateEpoch).toBe(1_499_472_000);
    expect(manifest.built).toBe('2017-07-08T00:00:00Z');
    expect(manifest.reports.map((report) => report.manuscript.path)).toEqual(['manuscript/report.md']);
  });
});

const actionPath = path.join(repositoryRoot, 'action.yml');

/**
 * Run the action's build step as the runner would: its inputs (given, else their defaults) in its `env`,
 * `github.action_path` the action's folder (here the workspace, as with `uses: ./`); returns its outputs.
 */
async function runActionBuild(workspace: string, given: Record<string, string>, env: NodeJS.ProcessEnv) {
  const action = parse(await readFile(actionPath, 'utf8')) as Action;
  const step = action.runs.steps.find((candidate) => candidate.id === 'build')!;
  const expand = (value: string) =>
    value
      .replaceAll('${{ github.action_path }}', workspace)
      .replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => given[name] ?? action.inputs[name]?.default ?? '');
  const output = path.join(workspace, '..', `output-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  await writeFile(output, '');
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(value)]));
  await run('bash', ['-c', step.run!], { cwd: workspace, env: { ...env, ...stepEnv, GITHUB_OUTPUT: output } });
  return Object.fromEntries(
    (await readFile(output, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=', 2) as [string, string]),
  );
}

describe('the GitHub Action', () => {
  it('is a valid composite action with inputs for manuscripts, formats, paper and output folder', async () => {
    const text = await readFile(actionPath, 'utf8');
    expect(validateAction(text).errors).toEqual([]);
    const action = parse(text) as Action;
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['manuscripts', 'formats', 'paper', 'out']));
    expect(action.outputs.manifest!.value).toBe('${{ steps.build.outputs.manifest }}');
    expect(action.runs.steps.some((step) => step.uses?.startsWith('actions/setup-node@'))).toBe(true);
    expect(action.runs.steps.map((step) => step.run ?? '').join('\n')).toContain(
      'apt-get install -y -qq --no-install-recommends chromium',
    );
  });

  it('passes manuscripts, formats, paper and options to `imprint build` and names the manifest', async () => {
    const root = await temporaryFolder('imprint-action-');
    const workspace = path.join(root, 'workspace');
    await mkdir(path.join(workspace, 'reports'), { recursive: true });
    for (const name of ['bin', 'lib', 'node_modules', 'templates', 'package.json']) {
      await symlink(path.join(repositoryRoot, name), path.join(workspace, name));
    }
    const note = (title: string) => `---\ntitle: ${title}\n---\n\n# One\n\nText.\n`;
    await writeFile(path.join(workspace, 'reports', 'a b.md'), note('A'));
    await writeFile(path.join(workspace, 'reports', 'c.md'), note('C'));
    const outputs = await runActionBuild(
      workspace,
      { manuscripts: 'reports/*.md', formats: 'html', paper: 'letter', out: 'site out', args: '--strict' },
      { ...process.env, HOME: root },
    );
    expect(outputs).toEqual({ manifest: 'site out/manifest.json' });
    const manifest = JSON.parse(await readFile(path.join(workspace, 'site out', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.reports.map((report) => report.editions.map((edition) => edition.path))).toEqual([
      ['a b.html'],
      ['c.html'],
    ]);
  });
});
