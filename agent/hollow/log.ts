// Lines per agent or per Task are noise by the thousand: hollow agents hand the shared code a
// logger raised to `warn`, unless the process asked for debug lines (then everything shows).
import type { Logger } from 'pino';

/** quieter is `logger` with info lines dropped, unless debug is on; never louder than `logger`. */
export function quieter(logger: Logger): Logger {
  if (logger.isLevelEnabled('debug') || !logger.isLevelEnabled('warn')) return logger;
  return logger.child({}, { level: 'warn' });
}
