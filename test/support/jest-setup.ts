/**
 * Run before each test file (jest.config.js `setupFilesAfterEnv`): the file's builds share
 * one CloudFormation validation worker, started once and kept warm between them
 * (build/warm-workers.ts), instead of starting the engine again for every build. The
 * validation itself is the real one, run on every template as in a build; the kept worker
 * ends with the file.
 */
import { keepWarmWorkers } from '../../build/warm-workers';

keepWarmWorkers(true);
afterAll(() => keepWarmWorkers(false));
