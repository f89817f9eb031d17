import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { runIdc } from '../../../build/idc-step';
import { PLATFORM_STACK } from '../../../stacks/idc/app';

/** Every string value anywhere in a JSON document. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

// Oracle independent of the conformance rules: a cooperative's stack may mention no other
// cooperative's namespace at all, and no shared-server namespace it does not subscribe to;
// a shared server admits exactly its subscribers.
describe('isolation over generated configurations', () => {
  test('no RoleBinding, NetworkPolicy or quota of cooperative A names B except through a declared shared server', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const { plan, diagnostics } = compile(generateSources({ n, seed }), { today: '2026-11-27' });
        expect(diagnostics).toEqual([]);
        const dir = mkdtempSync(join(tmpdir(), 'idc-prop-'));
        try {
          const { stacks, findings } = runIdc(plan!, dir);
          expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
          const coopNs = new Map(plan!.cooperatives.flatMap((c) => (c.idc ? [[c.id, c.idc.namespace] as const] : [])));
          const servers = plan!.platform.idc.sharedServers;
          for (const s of stacks) {
            const mentioned = new Set(strings(s.json));
            if (s.stack === PLATFORM_STACK) {
              for (const server of servers) {
                const policies = Object.values(s.json.resource?.kubernetes_network_policy_v1 ?? {}).filter((p: any) => p.metadata.namespace === server.namespace);
                const admitted = strings(policies).filter((v) => [...coopNs.values()].includes(v));
                expect(new Set(admitted)).toEqual(new Set(server.subscribers.map((id) => coopNs.get(id)!)));
              }
              continue;
            }
            const coop = plan!.cooperatives.find((c) => c.id === s.cooperative)!;
            for (const [other, ns] of coopNs) if (other !== coop.id) expect([s.stack, mentioned.has(ns)]).toEqual([s.stack, false]);
            for (const server of servers) {
              expect([s.stack, server.id, mentioned.has(server.namespace)]).toEqual([s.stack, server.id, coop.idc!.sharedServers.includes(server.id)]);
            }
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 8, seed: 20261127 },
    );
  });
});
