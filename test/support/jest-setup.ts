/**
 * Run before each test file (jest.config.js `setupFilesAfterEnv`): the builds of a Jest
 * worker process share one CloudFormation validation worker, started once and kept warm
 * between builds and between files (build/warm-workers.ts), instead of starting the engine
 * again for every build. The validation itself is the real one, run on every template as in
 * a build; the kept worker ends with the process.
 */
import { keepWarmWorkers } from '../../build/warm-workers';

keepWarmWorkers(true);
