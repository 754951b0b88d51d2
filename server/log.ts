import pino from 'pino';
import type { Config } from './config';

export type Logger = pino.Logger;

/** JSON logs to stdout (pipe through pino-pretty to read them in a terminal). */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'atalaya' } });
}
