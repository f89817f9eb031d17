/**
 * `--help` in the run's language: Korean by default, English when the run asks, and the same
 * information in both (synopsis, options, environment variables, files), so an option cannot
 * be documented in one language only.
 */
import { main } from '../../cli/main';
import { helpText, HELP_TOPICS } from '../../cli/help';
import type { Lang } from '../../infra/config/messages';

async function run(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: __dirname, today: '2026-11-27', env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What a help text names that a person types or sets: the same in every language. */
export function helpFacts(text: string): { synopsis: string[]; options: string[]; env: string[]; files: string[] } {
  const set = (re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[0]))].sort();
  // The usage lines ("Usage: coop-idc …", "사용법: coop-idc …" and their continuations), without the label.
  const usage = text.split('\n\n').find((p) => /^[^\s:]+: coop-idc /.test(p)) ?? '';
  return {
    synopsis: usage.split('\n').map((l) => l.replace(/^[^\s:]+: /, '').trim()),
    // --long and -x, not a hyphen inside a word (data-flow, DNS-1123).
    options: set(/(?<![\w-])--?[a-z][a-z-]*/g),
    env: set(/\b[A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)+/g),
    files: set(/[\w.\/-]*\w\.(?:json|yaml|md|html|hcl)\b/g),
  };
}

describe('help', () => {
  test.each(HELP_TOPICS)('%s: Korean and English name the same options, environment variables, files and synopsis', (topic) => {
    const ko = helpText(topic, 'ko');
    const en = helpText(topic, 'en');
    expect(helpFacts(ko)).toEqual(helpFacts(en));
    // Not vacuous: every page has a synopsis and names options or environment variables.
    expect(helpFacts(en).synopsis.length).toBeGreaterThan(0);
    expect(helpFacts(en).options.length + helpFacts(en).env.length).toBeGreaterThan(0);
    expect(ko).toMatch(/[가-힣]/);
    expect(en).not.toMatch(/[가-힣]/);
  });

  test('the comparison sees an option documented in one language only (the check can fail)', () => {
    const en = 'Usage: coop-idc x [--out dir]\n\n  --out <dir>   the folder\n  --dry-run     print only (env COOP_IDC_DRY)';
    const ko = '사용법: coop-idc x [--out dir]\n\n  --out <dir>   폴더';
    expect(helpFacts(ko)).not.toEqual(helpFacts(en));
    expect(helpFacts(en).options).toEqual(['--dry-run', '--out']);
    expect(helpFacts(en).env).toEqual(['COOP_IDC_DRY']);
    expect(helpFacts('a data-flow diagram, DNS-1123, self-contained').options).toEqual([]);
  });

  const cases: [string[], string][] = [
    [['--help'], 'main'],
    [['help', 'build'], 'build'],
    [['validate', '--help'], 'validate'],
    [['plan', '-h'], 'plan'],
    [['new', '--help'], 'new'],
    [['build', '--help'], 'build'],
    [['report', '--help'], 'report'],
    [['cost', '--help'], 'cost'],
    [['cache', '--help'], 'cache'],
    [['tf', '--help'], 'tf'],
  ];

  test.each(cases)('%p is Korean by default, English with --lang en or an English locale', async (argv, topic) => {
    const t = topic as (typeof HELP_TOPICS)[number];
    const byDefault = await run({}, ...argv);
    expect(byDefault).toEqual({ code: 0, out: helpText(t, 'ko'), err: '' });
    expect((await run({}, ...argv, '--lang', 'en')).out).toBe(helpText(t, 'en'));
    expect((await run({ LANG: 'en_US.UTF-8' }, ...argv)).out).toBe(helpText(t, 'en'));
  });

  test.each<[Lang, RegExp]>([
    ['ko', /^사용법: coop-idc <command> \[options\]$/m],
    ['en', /^Usage: coop-idc <command> \[options\]$/m],
  ])('no command prints the help in %s on stderr, exit 2', async (lang, usage) => {
    const r = await run({}, '--lang', lang);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(usage);
  });

  test('fills in what the code owns: version, Chromium path, Terraform variable and plan file', () => {
    expect(helpText('main', 'ko')).toMatch(/^coop-idc \d+\.\d+\.\d+ — /);
    expect(helpText('report', 'en')).toMatch(/default\n\/\S+; install/);
    expect(helpText('tf', 'ko')).toContain("'terraform apply -input=false tfplan'");
    expect(helpText('tf', 'ko')).toContain('COOP_IDC_TERRAFORM(실행 파일 경로)');
  });
});
