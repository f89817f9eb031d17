import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Template } from 'aws-cdk-lib/assertions';
import { compile, type CooperativePlan, type TenancyPlan } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { buildAwsApp } from '../../../stacks/aws/aws-app';

/** Every physical name that belongs to one cooperative. */
function namesOf(c: CooperativePlan, plan: TenancyPlan): string[] {
  return [
    ...Object.values(c.cloud.buckets),
    c.cloud.database,
    c.cloud.keyAlias,
    ...Object.values(c.cloud.roles),
    c.cloud.pushFunction,
    c.cloud.gatewayProfile,
    ...plan.platform.sharedZone.tables.filter((t) => t.cooperative === c.id).map((t) => t.name),
  ];
}

const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::S3::BucketPolicy', 'AWS::LakeFormation::PrincipalPermissions'];

function synthesize(n: number, seed: number, cellCapacity?: number, withIngestion = false) {
  const result = compile(generateSources({ n, seed, ...(cellCapacity !== undefined ? { cellCapacity } : {}) }), { today: '2026-11-27' });
  if (!result.plan) throw new Error(`generator produced an invalid config: ${JSON.stringify(result.diagnostics.slice(0, 2))}`);
  const plan = result.plan;
  const code = mkdtempSync(join(tmpdir(), 'coopidc-iso-code-'));
  writeFileSync(join(code, 'index.js'), 'exports.handler = async () => undefined;\n');
  const ingestion = withIngestion ? { ingestion: { objectHandlerCodeDir: code, apiHandlerCodeDir: code } } : {};
  const aws = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-iso-')), builtinValidation: false, checks: false, ...ingestion });
  aws.app.synth();
  return { plan, aws };
}

describe('cell isolation over synthesized templates', () => {
  test('nothing deployed for one cell names a resource or the account of another cell', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 1_000_000 }), (n, seed) => {
        const { plan, aws } = synthesize(n, seed, 2, true);
        expect(plan.platform.cells.length).toBeGreaterThanOrEqual(2);
        for (const cell of plan.platform.cells) {
          const stacks = [
            ...cell.cooperatives.map((id) => aws.cooperatives.get(id)!),
            aws.cellZones.get(cell.id)!,
            ...[...aws.sharedCatalogs].filter(([id]) => id.startsWith(`CoopIdc-DataLake-${cell.id}-`)).map(([, s]) => s),
            // Its gateways' trust anchor and its one ingestion API.
            aws.gatewayTrusts.get(cell.id)!,
            aws.ingestionApis.get(cell.id)!,
          ];
          expect(stacks.every((s) => s !== undefined)).toBe(true);
          for (const coop of cell.cooperatives) expect(aws.cooperatives.get(coop)!.account).toBe(cell.account);
          const text = stacks.map((s) => JSON.stringify(Template.fromStack(s).toJSON())).join('\n');
          for (const other of plan.platform.cells) {
            if (other.id === cell.id) continue;
            const foreign = [other.account, other.sharedBucket, other.sharedKeyAlias, ...other.cooperatives.flatMap((id) => namesOf(plan.cooperatives.find((c) => c.id === id)!, plan))];
            for (const name of foreign) expect({ cell: cell.id, names: text.includes(name) ? name : null }).toEqual({ cell: cell.id, names: null });
          }
        }
      }),
      { numRuns: 4, seed: 20261205 },
    );
  });
});

describe('tenant isolation over synthesized templates', () => {
  test('no policy, key policy, bucket policy or grant of cooperative A names a resource of cooperative B', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 1_000_000 }), (n, seed) => {
        const { plan, aws } = synthesize(n, seed);
        for (const a of plan.cooperatives) {
          const template = Template.fromStack(aws.cooperatives.get(a.id)!);
          const text = JSON.stringify(POLICY_TYPES.map((t) => template.findResources(t)));
          for (const b of plan.cooperatives) {
            if (b.id === a.id) continue;
            for (const name of namesOf(b, plan)) expect({ stack: a.id, names: text.includes(name) ? name : null }).toEqual({ stack: a.id, names: null });
            // Logical ids are stack-local, but a stack must not reference another cooperative's stack either.
            expect(text).not.toContain(`CoopIdc-Coop-${b.id}`);
          }
        }
      }),
      { numRuns: 6, seed: 20261127 },
    );
  });

  test('consumers reach exactly the tables and columns their agreements allow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 2 }), (n, seed, cellCapacity) => {
        const { plan, aws } = synthesize(n, seed, cellCapacity);
        const consumerByRole = new Map(plan.platform.consumers.map((c) => [c.role, c.id]));
        const granted = new Set<string>();
        // Raw-level grants sit in the cooperative's cell stack, the others in its cell's shared-table stacks.
        for (const stack of [...aws.cooperatives.values(), ...aws.sharedCatalogs.values()]) {
          const perms = Template.fromStack(stack).findResources('AWS::LakeFormation::PrincipalPermissions');
          for (const p of Object.values(perms) as any[]) {
            const principal = JSON.stringify(p.Properties.Principal);
            const role = [...consumerByRole.keys()].find((r) => principal.includes(`:role/${r}"`));
            if (!role) continue; // the cooperative's own ingestion role
            const t = p.Properties.Resource.TableWithColumns;
            expect(p.Properties.Permissions).toEqual(['SELECT']);
            expect(t).toBeDefined();
            granted.add(`${consumerByRole.get(role)}|${t.DatabaseName}|${t.Name}|${t.ColumnNames.join(',')}`);
          }
        }
        const expected = new Set(plan.grants.map((g) => `${g.consumer}|${g.database}|${g.table}|${g.grantedColumns.join(',')}`));
        expect(granted).toEqual(expected);
        // Aggregated agreements are granted their statistics table, never a row-level table.
        const rowLevel = new Set([...plan.platform.sharedZone.tables.map((t) => t.name), ...plan.cooperatives.flatMap((c) => c.datasets.map((d) => d.table))]);
        for (const g of plan.grants) if (g.level === 'aggregated') expect([g.table, rowLevel.has(g.table)]).toEqual([g.aggregate!.table, false]);
        // Pseudonymized and aggregated agreements read the shared zone, never a cooperative database.
        for (const g of plan.grants) if (g.level !== 'raw') expect(g.database).toBe(plan.platform.sharedZone.database);
        // Consumer roles hold no S3 or KMS permission on any cooperative bucket or key.
        const platformPolicies = JSON.stringify(Template.fromStack(aws.platform).findResources('AWS::IAM::Policy'));
        for (const c of plan.cooperatives) for (const b of Object.values(c.cloud.buckets)) expect(platformPolicies).not.toContain(b);
      }),
      { numRuns: 5, seed: 7 },
    );
  });
});
