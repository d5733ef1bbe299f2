/** StorageLogger is the slice of a pino logger the storage layer writes to. */
export interface StorageLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** silentLogger drops everything; the default when the composition root passes no logger. */
export const silentLogger: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
};
