/** Per test file: the SDK logs warnings and errors only, so test output stays readable. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });

// the service's own pino loggers (e.g. the notifications log channel): warnings and errors only
process.env.LOG_LEVEL ??= 'warn';
