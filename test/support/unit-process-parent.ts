/**
 * A build's parent process, cut down to its unit processes (test/build/unit-worker.test.ts):
 * starts one on a plan large enough to keep it building for a while, prints the pids of its
 * children once the job is sent, then ends the way `argv[3]` says: `SIGTERM` or `SIGINT`
 * (a signal to this process alone, as a CI runner cancelling a job sends) or `exit`
 * (`process.exit`, as the CLI ends after a failed step).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../infra';
import { generateSources } from '../../infra/testing/synthetic';
import { buildUnitsInProcesses } from '../../build/unit-worker';
import { TODAY } from './config';

const [scratch, how] = process.argv.slice(2);
const plan = compile(generateSources({ n: 60, seed: 7, cellCapacity: 60 }), { today: TODAY }).plan!;

/** This process's unit processes, from /proc (the TypeScript loader may have a child of its own). */
function children(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const parentPid = Number(readFileSync(join('/proc', d, 'stat'), 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
        return parentPid === process.pid && readFileSync(join('/proc', d, 'cmdline'), 'utf8').includes('unit-worker');
      } catch {
        return false;
      }
    })
    .map(Number);
}

void buildUnitsInProcesses({ plan, bundles: {}, validate: false, verify: false }, [['cell/cell-01']], scratch, 1, undefined, () => {
  process.stdout.write(`${JSON.stringify(children())}\n`, () => {
    if (how === 'exit') process.exit(3);
    process.kill(process.pid, how as NodeJS.Signals);
  });
}).catch(() => undefined);
