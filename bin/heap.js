'use strict';
// V8 heap policy of a build, shared by the CLI (bin/coop-idc.js) and `npm run bench`, so the
// bench measures what the CLI does.
//
// By default V8 lets the old generation grow to about twice what survived the last full
// collection before collecting again. At 1,000 cooperatives ~1 GB of aws-cdk-lib's construct
// tree survives every collection during synthesis, so the process carried ~1 GB of garbage on
// top of it: 2.3 GB peak. Growing by 30 % instead: 1.6 GB peak at the same time and CPU
// (`npm run bench`, A/B on this machine; see the README). The flag cannot be given in
// NODE_OPTIONS, hence here, before anything is allocated in earnest.
const HEAP_GROWING_PERCENT = 30;
// Where the policy is recorded for the build's steps (build/heap-policy.ts): the report step
// runs with V8's own growth and puts this back after.
const HEAP_POLICY_KEY = 'coop-idc.heapGrowingPercent';

/** Applies the build's heap policy to this process (worker threads included). */
function tuneHeap() {
  require('node:v8').setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  globalThis[Symbol.for(HEAP_POLICY_KEY)] = HEAP_GROWING_PERCENT;
}

module.exports = { tuneHeap, HEAP_GROWING_PERCENT, HEAP_POLICY_KEY };
