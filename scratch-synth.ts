import { compileAt, sampleSources } from './test/support/config';
import { buildAwsApp, synthAwsApp, ComplianceFailure } from './stacks/aws/aws-app';
import { formatFailure } from './infra';
const plan = compileAt(sampleSources()).plan!;
const t0 = Date.now();
const aws = buildAwsApp(plan, { outdir: '/tmp/exp/cdkout', builtinValidation: process.env.V === '1', ...(process.env.I ? { ingestion: { objectHandlerCodeDir: '/tmp/exp/h', apiHandlerCodeDir: '/tmp/exp/h' } } : {}) });
try {
  const r = synthAwsApp(aws, plan);
  console.log('ok', r.findings.length);
} catch (e) {
  if (e instanceof ComplianceFailure) {
    const fails = e.findings.filter((f) => f.status === 'fail');
    const byRule = new Map<string, string[]>();
    for (const f of fails) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), `${f.stack}/${f.resource}`]);
    for (const [r, ps] of byRule) console.log(r, ps.length, ps.slice(0, 4).join(' | '));
    console.log('fails', fails.length, 'acks', e.findings.filter((f) => f.status === 'acknowledged').length, 'pass', e.findings.filter((f) => f.status === 'pass').length);
  } else throw e;
}
console.log('ms', Date.now() - t0);
void formatFailure;
