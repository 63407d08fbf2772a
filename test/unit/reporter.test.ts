import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { formatReport } from '../../src/cli/reporter.js';
import { error, warn } from '../../src/diagnostics/report.js';

describe('the reporter', () => {
  it('prints each message as file:line:column, severity, reason, rule and source, sorted, with a summary', () => {
    const manuscript = new VFile({ path: '/p/report.md' });
    warn(manuscript, 'Second', { place: { line: 9, column: 2 }, ruleId: 'front-matter-schema' });
    error(manuscript, 'First', {
      place: { start: { line: 3, column: 1 }, end: { line: 3, column: 8 } },
      ruleId: 'directive-unknown',
    });
    const data = new VFile({ path: '/p/data/x.csv' });
    error(data, 'Bad row', { place: { line: 4, column: 1 }, ruleId: 'data-schema' });
    expect(formatReport([manuscript, data], { cwd: '/p' })).toBe(
      [
        'report.md:3:1-3:8  error    First    directive-unknown    imprint',
        'report.md:9:2      warning  Second   front-matter-schema  imprint',
        'data/x.csv:4:1     error    Bad row  data-schema          imprint',
        '',
        '✖ 2 errors, 1 warning',
        '',
      ].join('\n'),
    );
  });

  it('leaves warnings out when quiet, but still counts them', () => {
    const file = new VFile({ path: '/p/report.md' });
    warn(file, 'A warning', { place: { line: 1, column: 1 }, ruleId: 'front-matter-schema' });
    error(file, 'An error', { place: { line: 2, column: 1 }, ruleId: 'data-missing' });
    expect(formatReport([file], { cwd: '/p', quiet: true })).toContain('report.md:2:1  error  An error');
    expect(formatReport([file], { cwd: '/p', quiet: true })).not.toContain('A warning');
  });
});
