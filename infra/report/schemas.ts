/**
 * JSON Schemas (draft-07) of the two evidence files a reader's tool may parse: report.json
 * and checks/*.json. Tests validate the build's output against them with ajv; auditors can
 * do the same. Strict where a reader relies on a field (status words, counts, resources),
 * open elsewhere so a new report section is not a schema break.
 */
import { CHECK_FILE_FORMAT } from '../checks/findings';
import { REPORT_VERSION } from './model';

const counts = {
  type: 'object',
  required: ['pass', 'acknowledged', 'fail'],
  properties: { pass: { type: 'integer', minimum: 0 }, acknowledged: { type: 'integer', minimum: 0 }, fail: { type: 'integer', minimum: 0 } },
  additionalProperties: false,
} as const;

const finding = {
  type: 'object',
  required: ['pack', 'rule', 'controls', 'status', 'stack', 'resource', 'message'],
  properties: {
    pack: { type: 'string' },
    rule: { type: 'string' },
    controls: { type: 'array', items: { type: 'string' } },
    status: { enum: ['pass', 'fail', 'acknowledged'] },
    cooperative: { type: 'string' },
    stack: { type: 'string' },
    resource: { type: 'string' },
    message: { type: 'string' },
    fix: { type: 'string' },
    reason: { type: 'string' },
  },
} as const;

const where = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['resources', 'stacks'],
    properties: {
      resources: { type: 'array', minItems: 1, items: { type: 'string' } },
      stacks: { description: '[stack] or [stack, cooperative]', type: 'array', minItems: 1, items: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } } },
    },
    additionalProperties: false,
  },
} as const;

/** A group of findings (`FindingGroup`): the shared fields once, then where they are. */
const group = (extra: Record<string, unknown>, required: readonly string[] = []) =>
  ({
    type: 'object',
    required: ['pack', 'rule', 'controls', 'message', 'count', 'sets', ...required],
    properties: {
      pack: { type: 'string' },
      rule: { type: 'string' },
      controls: { type: 'array', items: { type: 'string' } },
      message: { type: 'string' },
      ...extra,
      count: { description: 'Findings in the group: the sum over sets of resources × stacks', type: 'integer', minimum: 1 },
      sets: where,
    },
  }) as const;

/** Schema of a check file (`CheckFile`, format 3). */
export const CHECK_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://kbiz.or.kr/coop-idc/checks.schema.json',
  title: 'coop-idc check results (checks/*.json)',
  type: 'object',
  required: ['format', 'findings', 'acknowledgements', 'passes'],
  additionalProperties: false,
  properties: {
    format: { const: CHECK_FILE_FORMAT },
    findings: { description: 'Every failure, in full', type: 'array', items: { ...finding, properties: { ...finding.properties, status: { const: 'fail' } } } },
    acknowledgements: { description: 'Every acknowledgement, grouped: each one resource of a set in one of its stacks', type: 'array', items: group({ reason: { type: 'string' } }, ['reason']) },
    passes: { description: 'Every pass, grouped: each one resource of a set in one of its stacks', type: 'array', items: group({}) },
  },
} as const;

const evidence = {
  type: 'object',
  required: ['source', 'pack', 'rule', 'status', 'stack', 'resource', 'message'],
  properties: {
    source: { enum: ['check', 'plan'] },
    pack: { type: 'string' },
    rule: { type: 'string' },
    status: { enum: ['pass', 'fail', 'acknowledged'] },
    cooperative: { type: 'string' },
    stack: { type: 'string' },
    resource: { type: 'string' },
    type: { type: 'string' },
    logicalId: { type: 'string' },
    file: { type: 'string' },
    properties: { type: 'object', additionalProperties: { type: 'string' } },
    message: { type: 'string' },
    fix: { type: 'string' },
    reason: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** An inventory: rows grouped by stack, each `[type, logicalId, address]` and its key properties when it has any (address left out when it is `type.logicalId`). */
const inventory = {
  type: 'object',
  required: ['found', 'stacks', 'resources'],
  properties: {
    found: { type: 'boolean' },
    stacks: { type: 'array', items: { type: 'string' } },
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['stack', 'rows'],
        properties: {
          stack: { type: 'string' },
          rows: {
            type: 'array',
            minItems: 1,
            description: '[type, logicalId, address, properties]: address left out when it is type.logicalId (Terraform), properties when there are none',
            items: {
              type: 'array',
              minItems: 2,
              maxItems: 4,
              items: [{ type: 'string' }, { type: 'string' }, { type: ['string', 'object'], additionalProperties: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }],
            },
          },
        },
        additionalProperties: false,
      },
    },
  },
} as const;

/** A run of consecutive indexes: [first, last], first < last. */
const run = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer', minimum: 0 } } as const;

const status = { enum: ['passed', 'acknowledged', 'failed', 'no-evidence'] } as const;

/** Schema of report.json (`ReportJson`: the model with evidence by index, acknowledgements, passes and inventories grouped). */
export const REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://kbiz.or.kr/coop-idc/report.schema.json',
  title: 'coop-idc audit report (report.json)',
  type: 'object',
  required: ['reportVersion', 'today', 'environment', 'inputs', 'summary', 'controls', 'packs', 'acknowledgements', 'failures', 'planFacts', 'cooperatives', 'platform', 'capacity', 'dataFlow', 'disclosureMatrix'],
  properties: {
    reportVersion: { const: REPORT_VERSION },
    today: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    summary: {
      type: 'object',
      required: ['cooperatives', 'checks', 'controls'],
      properties: {
        checks: counts,
        controls: { type: 'object', required: ['passed', 'acknowledged', 'failed', 'no-evidence'], additionalProperties: { type: 'integer', minimum: 0 } },
      },
    },
    controls: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'framework', 'title', 'how', 'status', 'counts', 'evidence', 'passes'],
        properties: {
          id: { type: 'string' },
          status,
          counts,
          evidence: {
            description: 'Failures, acknowledgements and plan facts by index into the top-level failures, acknowledgements and planFacts, or a run of consecutive ones by [first, last]',
            type: 'array',
            items: {
              oneOf: [
                evidence,
                { type: 'object', required: ['failure'], properties: { failure: { type: 'integer', minimum: 0 } }, additionalProperties: false },
                { type: 'object', required: ['acknowledgement'], properties: { acknowledgement: { type: 'integer', minimum: 0 } }, additionalProperties: false },
                { type: 'object', required: ['fact'], properties: { fact: { type: 'integer', minimum: 0 } }, additionalProperties: false },
                ...['failures', 'acknowledgements', 'facts'].map((many) => ({ type: 'object', required: [many], properties: { [many]: run }, additionalProperties: false })),
              ],
            },
          },
          passes: {
            description: "Passed check results per rule, in sets of resources with the stacks each passed in; a stack's cooperative is its owner in inputs.stacks unless the group names one (null: none)",
            type: 'array',
            items: {
              type: 'object',
              required: ['pack', 'rule', 'count', 'sets'],
              properties: {
                pack: { type: 'string' },
                rule: { type: 'string' },
                cooperative: { type: ['string', 'null'] },
                count: { description: 'The sum over sets of resources × stacks', type: 'integer', minimum: 1 },
                sets: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['resources', 'stacks'],
                    properties: { resources: { type: 'array', minItems: 1, items: { type: 'string' } }, stacks: { type: 'array', minItems: 1, items: { type: 'string' } } },
                    additionalProperties: false,
                  },
                },
              },
              additionalProperties: false,
            },
          },
          context: {
            type: 'array',
            items: {
              oneOf: [
                { type: 'object', required: ['fact'], properties: { fact: { type: 'integer', minimum: 0 } }, additionalProperties: false },
                { type: 'object', required: ['facts'], properties: { facts: run }, additionalProperties: false },
              ],
            },
          },
        },
      },
    },
    acknowledgements: {
      description: "Every acknowledgement, grouped by what they share; each is in one of the group's stacks, at the index in 'at' the controls' evidence refers to. A stack given by name has the cooperative and file inputs.stacks gives it; without 'properties' the resource's key properties are those of its inventory row (same stack and logical id), and {} means none",
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'pack', 'rule', 'status', 'resource', 'message', 'reason', 'at', 'stacks'],
        properties: {
          ...evidence.properties,
          status: { const: 'acknowledged' },
          at: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } },
          stacks: {
            type: 'array',
            minItems: 1,
            items: {
              oneOf: [
                { type: 'string' },
                { type: 'object', required: ['stack', 'cooperative', 'file'], properties: { stack: { type: 'string' }, cooperative: { type: ['string', 'null'] }, file: { type: ['string', 'null'] } }, additionalProperties: false },
              ],
            },
          },
        },
        additionalProperties: false,
      },
    },
    failures: { type: 'array', items: { ...evidence, properties: { ...evidence.properties, status: { const: 'fail' } } } },
    planFacts: { type: 'array', items: { ...evidence, properties: { ...evidence.properties, source: { const: 'plan' } } } },
    cooperatives: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'cloud', 'idc', 'datasets', 'sharing', 'checks'],
        properties: { checks: counts, cloud: inventory, idc: inventory },
      },
    },
    platform: { type: 'object', required: ['cloud', 'idc'], properties: { cloud: inventory, idc: inventory } },
    accounts: { type: 'array' },
    offboarding: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status', 'since', 'retainUntil', 'expiresOn', 'steps'],
        properties: {
          status: { enum: ['offboarding', 'removed'] },
          steps: { type: 'array', minItems: 1, items: { type: 'object', required: ['step', 'title', 'status', 'evidence'], properties: { status: { enum: ['pass', 'acknowledged', 'fail'] } } } },
        },
      },
    },
    cost: {
      type: 'object',
      required: ['month', 'currency', 'split', 'lines', 'cooperatives', 'unallocated', 'total'],
      properties: { currency: { const: 'KRW' }, total: { type: 'integer', minimum: 0 } },
    },
  },
} as const;
