/**
 * Run before each test file (jest.config.js `setupFilesAfterEnv`): the builds of a Jest
 * worker process share one CloudFormation validation worker, started once and kept warm
 * between builds and between files (build/warm-workers.ts), instead of starting the engine
 * again for every build. The validation itself is the real one, run on every template as in
 * a build; the kept worker ends with the process. Likewise the Lambda bundles: esbuild's
 * output for the repository's sources as they are is made once per process and written again
 * by later builds without a cache (build/lambda-bundles.ts `keepMadeBundles`).
 */
import { keepMadeBundles } from '../../build/lambda-bundles';
import { keepWarmWorkers } from '../../build/warm-workers';

keepWarmWorkers(true);
keepMadeBundles(true);
