/**
 * Cost-allocation tags: every taggable AWS resource says whose it is (`coopidc:cooperative`,
 * `coopidc:cost-center`), platform resources how they are split (`coopidc:cost-split`), and a
 * cell's resources their cell, so Cost Explorer / CUR actuals can be compared with
 * `coop-idc cost` (docs/cost.en.md). The KMS keys synthesized are the ones the estimate prices.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { compile, type TenancyPlan } from '../../../infra';
import { TAG } from '../../../infra/shared-names';
import { platformKmsKeys } from '../../../infra/cost';
import { generateSources } from '../../../infra/testing/synthetic';
import { buildAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';

let plan: TenancyPlan;
let aws: AwsApp;
beforeAll(() => {
  plan = compile(generateSources({ n: 4, seed: 2, cellCapacity: 2, cost: { split: 'byStoredVolume' } }), { today: '2026-11-27' }).plan!;
  aws = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-cost-tags-')), builtinValidation: false, checks: false });
});

/** Tags of each taggable resource of a stack (list or map form), by logical id. */
function taggedResources(stack: Stack): [string, string, Record<string, string>][] {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: unknown } }>;
  return Object.entries(resources).flatMap(([id, r]) => {
    const tags = r.Properties?.Tags;
    if (tags === undefined) return [];
    const map = Array.isArray(tags) ? Object.fromEntries((tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value])) : (tags as Record<string, string>);
    return [[id, r.Type, map]];
  });
}

const stacks = () => [aws.platform, ...aws.cellZones.values(), ...aws.sharedCatalogs.values(), ...aws.cooperatives.values()] as Stack[];

describe('cost-allocation tags', () => {
  test('every taggable resource names its owner and cost center', () => {
    let n = 0;
    for (const stack of stacks()) {
      for (const [id, type, tags] of taggedResources(stack)) {
        n++;
        expect({ stack: stack.stackName, id, type, owner: tags[TAG.cooperative] !== undefined, costCenter: tags[TAG.costCenter] !== undefined }).toEqual({ stack: stack.stackName, id, type, owner: true, costCenter: true });
      }
    }
    expect(n).toBeGreaterThan(20);
  });

  test('platform resources carry the declared split rule; cooperative resources do not', () => {
    for (const stack of stacks()) {
      for (const [, , tags] of taggedResources(stack)) {
        if (tags[TAG.cooperative] === 'platform') expect(tags[TAG.costSplit]).toBe('byStoredVolume');
        else expect(tags[TAG.costSplit]).toBeUndefined();
      }
    }
  });

  test("a cell's shared zone and its cooperatives carry the cell", () => {
    for (const [cell, stack] of aws.cellZones) for (const [, , tags] of taggedResources(stack)) expect(tags[TAG.cell]).toBe(cell);
    for (const coop of plan.cooperatives) {
      for (const [, , tags] of taggedResources(aws.cooperatives.get(coop.id)! as Stack)) expect(tags[TAG.cell]).toBe(coop.cell);
    }
  });

  test('the KMS keys synthesized are those the estimate prices: one per cooperative plus the platform keys', () => {
    const keys = stacks().reduce((s, st) => s + Object.keys(Template.fromStack(st).findResources('AWS::KMS::Key')).length, 0);
    expect(keys).toBe(plan.cooperatives.length + platformKmsKeys(plan));
  });
});
